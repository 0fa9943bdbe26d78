"""Every page of every role, in Chromium, at 375 px (a phone) and at 1280 px (a laptop): no
sideways scrolling, no serious or critical violation found by axe-core (nor an empty table
header or a skip link without target), skip links that lead somewhere, and at 1280 px no
table cut by its own scroll bar.

The pages are read from the access matrix (``tests/test_access_matrix.py``), itself checked
against the URLconf: each GET row where a role gets 200 is a page that role opens, swept with
the object its arguments point to. A URL that is not a page (a download, POST only, a
redirect, the admin) is listed in ``NOT_PAGES`` with the reason; a new URL is either swept or
listed there (``test_every_url_is_swept_or_said_not_to_be_a_page``).

Cost: one test per role (pytest-xdist splits them), one world built per test, one browser
context per width, axe once per page and width.
"""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from aps.invitations import invitation_path
from funding.models import Envelope
from reviews.desk import commissions, preparation
from reviews.desk.models import Label
from reviews.models import BulkExport
from tests.factories import member
from tests.test_access_matrix import EXPECTED, expected_status, url_names

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
DEMO_DAY = datetime.date(2024, 6, 3)  # the demo's day: some deadlines past, others to come
ROLES = ["anonymous", "staff", "head", "network", "mlds", "dsden", "academie"]
EMAILS = {
    "staff": "staff.college@aps.test",
    "head": "chef.college@aps.test",
    "network": "foquale@aps.test",
    "mlds": "mlds@aps.test",
    "dsden": "dsden93@aps.test",
    "academie": "academie@aps.test",
}
# What axe reports that fails the sweep: every serious or critical violation, and two rules
# of lesser impact that issue 17 names (the others, "moderate" and "minor", are left to
# judgement).
FAILING_IMPACTS = {"serious", "critical"}
FAILING_RULES = {"skip-link", "empty-table-header"}

NOT_PAGES = {
    "logout": "POST seulement (déconnexion)",
    "proconnect_login": "redirection vers ProConnect (tests/browser/test_proconnect.py)",
    "proconnect_callback": "retour de ProConnect (tests/browser/test_proconnect.py)",
    "favicon.ico": "redirection vers l'icône",
    "healthz": "sonde JSON du répartiteur de charge, pas une page",
    "admin_login": "connexion de l'administration (celle de Django)",
    "admin:index": "l'administration de Django, hors du gabarit DSFR",
    "projects:sheet_renew": "POST seulement",
    "projects:attachment_add": "POST seulement",
    "projects:attachment_delete": "POST seulement",
    "projects:attachment_download": "téléchargement d'une pièce jointe",
    "funding:estimate_download": "téléchargement (.xlsx)",
    "funding:estimate_import": "POST seulement",
    "funding:estimate_template": "téléchargement (.xlsx)",
    "reviews:sheet_list_export": "téléchargement (.xlsx)",
    "reviews:sheet_list_attachments": "téléchargement (.zip)",
    "reviews:receipt_pdf": "téléchargement (PDF)",
    "reviews:advise": "POST seulement",
    "reviews:message_post": "POST seulement",
    "reviews:message_attachment": "téléchargement d'une pièce jointe d'un message",
    "reviews:bulk_pdf": "POST seulement",
    "reviews:sheet_pdf": "téléchargement (PDF)",
    "reviews:statistics_export": "téléchargement (.xlsx)",
    "reviews:bulk_export_download": "téléchargement (PDF)",
    "projects:team_invite": "POST seulement",
    "projects:team_remove": "POST seulement",
    "projects:team_reinvite": "POST seulement",
    "invitation_accept": "lien à usage unique : balayé dans LINK_PAGES",
    "reviews:note_add": "POST seulement",
    "reviews:assign": "POST seulement",
    "reviews:follow": "POST seulement",
    "reviews:sheet_labels": "POST seulement",
    "reviews:list_action": "POST seulement",
    "reviews:label_delete": "POST seulement",
    "reviews:commission_proposals": "POST seulement",
    "reviews:commission_decide": "POST seulement (un refus redonne la page de la commission)",
    "reviews:commission_remove": "POST seulement",
    "reviews:commission_pdf": "POST seulement",
}

# Pages whose content changes with the sheet's state, swept in more states than the matrix
# tries them on: (URL name, state) → the state whose roles open it alike.
MORE_STATES = {
    ("reviews:sheet_detail", "needs_info"): "in_review",
    ("reviews:sheet_detail", "validated"): "in_review",
    ("projects:sheet_edit", "needs_info"): "draft",
}

# The French error pages, not in the URLconf: each at a URL that answers it, for a role.
ERROR_PAGES = {
    "404": ("staff", lambda world: "/cette-page-n-existe-pas/"),
    "403": ("staff", lambda world: reverse("funding:envelope_list")),
}

# Pages reached by a link of an e-mail, signed out: (label) → (URL from the world, status).
LINK_PAGES = {
    "invitation (lien valide)": (lambda world: world["invitation"], 200),
    "invitation (lien invalide)": (lambda world: world["invitation"][:-3] + "00/", 400),
}


def pages_of(role: str) -> list[tuple[str, str | None]]:
    """The (URL name, target) of every page ``role`` opens on its own scope's objects. The
    pages a signed-out visitor opens (log in, forgotten password) are swept signed out only:
    their content does not depend on the role, and the signed-in layout is swept on every
    other page."""
    found = []
    for name, name_rows in EXPECTED.items():
        if name in NOT_PAGES:
            continue
        for method, target, _, statuses in name_rows:
            if method != "GET" or expected_status(statuses, role, "own") != 200:
                continue
            if role != "anonymous" and expected_status(statuses, "anonymous", "own") == 200:
                continue
            if (name, target) not in found:
                found.append((name, target))
    found += [page for page, like in MORE_STATES.items() if (page[0], like) in found]
    return found


def test_every_url_is_swept_or_said_not_to_be_a_page():
    swept = {name for role in ROLES for name, _ in pages_of(role)}
    assert not swept & set(NOT_PAGES)
    assert swept | set(NOT_PAGES) == url_names(), (
        "Chaque adresse est balayée (une ligne GET à 200 dans EXPECTED) ou dite dans NOT_PAGES."
    )


@pytest.fixture
def world(personas, demo_sheets):
    """The demo's sheets of the collège, its network and the lycée, plus a sheet of the collège
    in each state the pages need, a bulk export of the DSDEN and a password reset link."""
    from reviews.demo.sheet_contents import ACTIONS
    from tests.factories import advance
    from tests.personas import file_demo_action

    p = personas
    module_relais, _, fls, _, pafi, _ = ACTIONS
    sheets = {
        "draft": demo_sheets["college_individual"],
        "submitted": demo_sheets["college_transition"],
        "previous": demo_sheets["college_previous"],
        "network_draft": demo_sheets["network"],
        "in_review": advance(file_demo_action(p.college, p.college_head, fls), "in_review"),
        "needs_info": advance(file_demo_action(p.college, p.college_head, pafi), "needs_info"),
        "validated": advance(
            file_demo_action(p.college, p.college_head, module_relais), "in_review"
        ),
    }
    # The 93's desk: its labels, one on a sheet, and a commission with a proposal for the sheet
    # under review and the sheet it has validated since.
    ninety_three = sheets["in_review"].department
    Envelope.objects.get_or_create(
        campaign=p.campaign,
        department=ninety_three,
        defaults={"euros": Decimal("60000"), "hse": Decimal("4200"), "imp": Decimal("30")},
    )
    preparation.default_labels_create(ninety_three)
    label = Label.objects.get(department=ninety_three, name="Prêt pour la commission")
    preparation.labels_apply(sheets=[sheets["in_review"]], by=p.dsden93, label=label)
    commission = commissions.commission_create(
        by=p.dsden93,
        department=ninety_three,
        campaign=p.campaign,
        date=datetime.date(2024, 7, 4),
        means="hse_imp",
    )
    commissions.sheets_add(
        commission=commission, by=p.dsden93, sheets=[sheets["in_review"], sheets["validated"]]
    )
    commissions.proposals_record(
        commission=commission,
        by=p.dsden93,
        proposals=[
            commissions.Proposal(item, None, item.sheet.requested_hse, None)
            for item in commissions.agenda(commission)[:1]
        ],
    )
    sheets["validated"] = advance(sheets["validated"], "validated")
    export = BulkExport.objects.create(
        requested_by=p.dsden93, sheet_ids=[sheets["in_review"].pk], state="ready", page_count=1
    )
    reset = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(p.college_staff.pk)),
            "token": default_token_generator.make_token(p.college_staff),
        },
    )
    invited = member(role="etablissement", establishment=p.college)
    invited.set_unusable_password()
    invited.invited_at = timezone.now()
    invited.save()
    return {
        "sheets": sheets,
        "export": export,
        "reset": reset,
        "invitation": invitation_path(invited),
        "college": p.college,
        "commission": commission,
        "label": label,
    }


def url_of(name: str, target: str | None, world) -> str:
    if target is None:
        return reverse(name)
    if target == "reset":
        return world["reset"]  # a valid link: the form to choose a password
    if target == "uai":
        return reverse(name, kwargs={"uai": world["college"].uai})
    if target == "export":
        return reverse(name, kwargs={"pk": world["export"].pk})
    if target == "commission":
        return reverse(name, kwargs={"pk": world["commission"].pk})
    if target == "label":
        return reverse(name, kwargs={"label_pk": world["label"].pk})
    if target == "validated_bilan":
        return reverse(name, kwargs={"pk": world["sheets"]["validated"].pk, "stage": "final"})
    return reverse(name, kwargs={"pk": world["sheets"][target].pk})


AXE = Axe()
# Sideways scrolling, skip links without a target, and (at 1280 px) tables wider than their
# container, found in one evaluation.
LAYOUT = """() => ({
    width: document.documentElement.scrollWidth,
    deadSkipLinks: [...document.querySelectorAll('.fr-skiplinks a[href^="#"]')]
        .map(a => a.getAttribute('href'))
        .filter(href => !document.getElementById(href.slice(1))),
    cutTables: [...document.querySelectorAll('.fr-table__container')]
        .filter(c => c.scrollWidth > c.clientWidth + 1)
        .map(c => (c.querySelector('caption') || c).textContent.trim().slice(0, 60)),
})"""


def check(page, url: str, status: int = 200) -> list[str]:
    """What is wrong with the page at ``url`` at the context's width (nothing: ``[]``)."""
    width = page.viewport_size["width"]
    response = page.goto(url)
    problems = []
    if response.status != status:
        return [f"HTTP {response.status}, attendu {status}"]
    layout = page.evaluate(LAYOUT)
    if layout["width"] > width:
        problems.append(f"défilement horizontal : {layout['width']} px pour {width} px")
    if layout["deadSkipLinks"]:
        problems.append(f"liens d'évitement sans cible : {layout['deadSkipLinks']}")
    if width >= 1280 and layout["cutTables"]:
        problems.append(f"tableaux coupés : {layout['cutTables']}")
    for violation in AXE.run(page).response["violations"]:
        if violation["impact"] in FAILING_IMPACTS or violation["id"] in FAILING_RULES:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            problems.append(f"axe {violation['id']} ({violation['impact']}) : {targets}")
    return problems


def contexts(browser, live_server, role):
    """One browser page per width, signed in as ``role``."""
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 740}, locale="fr-FR", timezone_id="Europe/Paris"
        )
        page = context.new_page()
        if role != "anonymous":
            page.goto(f"{live_server.url}{reverse('login')}")
            page.get_by_label("Adresse électronique").fill(EMAILS[role])
            page.get_by_label("Mot de passe").fill("demo-aps")
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_url(f"{live_server.url}/")
        try:
            yield width, page
        finally:
            context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_fits_and_passes_axe(live_server, browser, world, today, role):
    today(DEMO_DAY)
    urls = [
        (f"{name} ({target})" if target else name, url_of(name, target, world), 200)
        for name, target in pages_of(role)
    ]
    urls += [
        (f"page {code}", make_url(world), int(code))
        for code, (error_role, make_url) in ERROR_PAGES.items()
        if error_role == role
    ]
    if role == "anonymous":
        urls += [
            (label, make_url(world), status) for label, (make_url, status) in LINK_PAGES.items()
        ]
    assert urls
    failures = []
    for width, page in contexts(browser, live_server, role):
        for label, url, status in urls:
            failures += [
                f"{label} {url} — {role}, {width} px : {problem}"
                for problem in check(page, f"{live_server.url}{url}", status)
            ]
    assert not failures, "\n".join(failures)
