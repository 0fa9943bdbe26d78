"""The access matrix, generated from the URLconf: every URL of the project, requested by an
anonymous visitor and by each persona (tests/personas.py), on an object of the collège's scope
("own"), on one of another département ("other", the 94) and on one of another académie
("elsewhere", the Vienne in the académie de Poitiers). ``EXPECTED`` is the table of what
each must get; a URL missing from it fails the test, so that no new page ships without deciding
who may open it. A URL's first row runs on both objects; its further rows try more objects of
the own scope (a draft, a submitted sheet, last year's, the network's draft…).

The table names the collège's people and their reviewers (staff, head, network, mlds, dsden,
academie). The others are read from them: a persona outside both objects' scopes (the lycée's
staff and head, the head of a collège of another district, the DSDEN of the 77 and the 86) gets
what its role gets on another département's object (tried on the collège's objects only); the
DSDEN of the 94 is the mirror of the 93's. The académie de Poitiers' staff get on the collège's
objects what Créteil's get on Poitiers' ("elsewhere": what an outsider gets on "other", unless
``academie_elsewhere`` says otherwise); the ministry gets what Créteil's staff get on Créteil's
objects, everywhere.

Statuses: 200 page, 302 redirect (to the login page for anonymous visitors, or after an
action), 301 permanent redirect, 403 refused (the object is visible, the action is not
yours), 404 not found (not in your scope: another establishment's sheet is never a 403),
405 method not allowed.
"""

import datetime
from http.cookies import SimpleCookie

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aps.models import User
from funding.models import Estimate, Grant
from projects.models import Attachment
from reviews.models import BulkExport, Commission, CommissionSheet, Label
from reviews.workflow.models import Message, MessageAttachment
from tests.factories import EstablishmentFactory, SheetFactory, department, dsden_of, member
from tests.personas import EMAILS, build_personas

ROLES = ["anonymous", *EMAILS]
# Outside both objects' scopes: what the role gets on another département's object.
LIKE_ON_OTHER = {
    "lycee_staff": "staff",
    "lycee_head": "head",
    "outsider_head": "head",
    "dsden77": "dsden",
    "dsden86": "dsden",
}
MIRROR = {"dsden94": "dsden"}  # the DSDEN of the other object's département
LIKE_ELSEWHERE = {"poitiers": "academie"}  # another académie's staff


def url_names() -> set[str]:
    """Every named URL of the URLconf (the admin counts as one: its index)."""
    found = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    found.add("admin:index")
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or str(pattern.pattern).strip("^$")
                found.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns)
    return found


# URL name → its rows: (method, what its arguments point to, {role: status on the own
# object}, ``other``: status on another département's object for every role but the académie,
# which sees all; ``<role>_<scope>`` overrides both; ``data``: what a POST sends).
# Objects: a sheet of the demo collège (93, the MLDS's district, the network's member) in the
# named state, or the same in the 94 for "other"; "previous": validated last campaign;
# "network_draft": a draft of the collège's FOQUALE network; an attachment URL points to the
# attachment of the named sheet.


def row(method, target, data=None, **statuses):
    return method, target, data, statuses


def rows(*many):
    return list(many)


# Who sees each kind of sheet of the own scope (the others get 404, anonymous visitors 302).
SEEN_BY_ALL = {"anonymous": 302, "others": 200, "other": 404}
DRAFT_SEEN = {"anonymous": 302, "staff": 200, "head": 200, "mlds": 200, "academie": 200}
DRAFT_SEEN |= {"other": 404}
# Seen but not theirs to change (filed sheets: whoever sees them gets 403).
FILED_REFUSED = {"anonymous": 302, "others": 403, "other": 404}
# Who posts a message on a filed sheet (the académie's ministry reads only).
MESSAGE_POSTERS = {"staff": 302, "head": 302, "dsden": 302, "academie": 302, "national": 403}
# The reviewers' preparation of a filed sheet: the DSDEN of its département and the académie.
PREPARERS = {"anonymous": 302, "dsden": 302, "academie": 302, "others": 403, "other": 404}
PREPARERS |= {"national": 403}  # the ministry reads, and prepares nothing
PREPARE_DRAFT = {"anonymous": 302, "staff": 403, "head": 403, "mlds": 403, "academie": 403}
PREPARE_DRAFT |= {"others": 404, "other": 404}
# A commission: its département's DSDEN and académie; nobody else learns it exists.
COMMISSION_SEEN = {"anonymous": 302, "dsden": 200, "academie": 200, "others": 404, "other": 404}
COMMISSION_SEEN |= {"national": 404}
COMMISSION_ACTS = {"anonymous": 302, "dsden": 302, "academie": 302, "others": 404, "other": 404}
COMMISSION_ACTS |= {"national": 404}
INVITE = {"email": "nouvelle.recrue@aps.test", "full_name": "Nouvelle Recrue", "title": "CPE"}
EMPTY_ESTIMATE = {
    f"{prefix}-{field}": value
    for prefix in ("hse", "imp", "euro")
    for field, value in (
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "500"),
    )
}


def network_draft(status, mlds=403, academie=403):
    """The network's draft: its lead acts (``status``); the MLDS and the académie see it."""
    return {
        "anonymous": 302,
        "network": status,
        "mlds": mlds,
        "academie": academie,
        "others": 404,
        "other": 404,
    }


EXPECTED = {
    "home": rows(row("GET", None, anonymous=302, others=200)),
    "login": rows(row("GET", None, anonymous=200, others=302)),  # signed in: sent home
    "logout": rows(row("POST", None, anonymous=302, others=302)),
    # Without PROCONNECT_URL (tests/aps/test_proconnect.py signs in through a local provider).
    "proconnect_login": rows(row("GET", None, anonymous=404, others=404)),
    "proconnect_callback": rows(row("GET", None, anonymous=404, others=404)),
    "password_change": rows(row("GET", None, anonymous=302, others=200)),
    "password_change_done": rows(row("GET", None, anonymous=302, others=200)),
    "password_reset": rows(row("GET", None, anonymous=200, others=200)),
    "password_reset_done": rows(row("GET", None, anonymous=200, others=200)),
    "password_reset_confirm": rows(row("GET", "reset", anonymous=200, others=200)),
    "password_reset_complete": rows(row("GET", None, anonymous=200, others=200)),
    "favicon.ico": rows(row("GET", None, anonymous=301, others=301)),
    # The load balancer's probe: no login, the same JSON to everyone (tests/aps/test_health.py).
    "healthz": rows(row("GET", None, anonymous=200, others=200)),
    "reviews:setup": rows(row("GET", None, anonymous=302, academie=200, others=403)),
    "admin:index": rows(row("GET", None, anonymous=302, academie=200, others=302)),
    # The admin's login (its password form while passwords are on; the staff sent on).
    "admin_login": rows(row("GET", None, anonymous=200, academie=302, others=200)),
    "projects:establishment_list": rows(row("GET", None, anonymous=302, others=200)),
    "projects:establishment_detail": rows(row("GET", "uai", anonymous=302, others=200)),
    # The team is the head's to manage: the directory's page is everyone's, the action not.
    "projects:team_invite": rows(
        row("POST", "uai", INVITE, anonymous=302, head=302, others=403, other=403)
    ),
    "projects:team_remove": rows(
        row("POST", "team_member", anonymous=302, head=302, others=403, other=403)
    ),
    "projects:team_reinvite": rows(
        row("POST", "team_member", anonymous=302, head=302, others=403, other=403)
    ),
    # A made-up link: the page that says so, to anyone.
    "invitation_accept": rows(row("GET", "reset", anonymous=400, others=400)),
    "projects:sheet_create": rows(
        row("GET", None, anonymous=302, staff=200, head=200, network=200, others=403)
    ),
    "reviews:sheet_detail": rows(
        row("GET", "in_review", **SEEN_BY_ALL),
        row("GET", "draft", **DRAFT_SEEN, others=404),
        row("GET", "submitted", **SEEN_BY_ALL),
        row("GET", "previous", **SEEN_BY_ALL),
        row("GET", "network_draft", **network_draft(200, mlds=200, academie=200)),
    ),
    "projects:sheet_edit": rows(
        row(
            "GET",
            "draft",
            anonymous=302,
            staff=200,
            head=200,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row("GET", "submitted", **FILED_REFUSED),
        row("GET", "previous", **FILED_REFUSED),
        row("GET", "network_draft", **network_draft(200)),
    ),
    "projects:sheet_delete": rows(
        row(
            "GET",
            "draft",
            anonymous=302,
            head=200,
            staff=403,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row("GET", "submitted", **FILED_REFUSED),
        row("GET", "previous", **FILED_REFUSED),
        row("GET", "network_draft", **network_draft(200)),
    ),
    "projects:sheet_renew": rows(
        row("POST", "previous", anonymous=302, staff=302, head=302, others=403, other=404),
        row(
            "POST",
            "draft",
            anonymous=302,
            staff=403,
            head=403,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row("POST", "submitted", **FILED_REFUSED),
        row("POST", "network_draft", **network_draft(403)),
    ),
    "projects:attachment_add": rows(
        row(
            "POST",
            "draft",
            anonymous=302,
            staff=200,  # reached, and refused: no file
            head=200,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row("POST", "submitted", **FILED_REFUSED),
        row("POST", "previous", **FILED_REFUSED),
        row("POST", "network_draft", **network_draft(200)),
    ),
    "projects:attachment_download": rows(
        row("GET", "in_review", **SEEN_BY_ALL),
        row("GET", "draft", **DRAFT_SEEN, others=404),
        row("GET", "submitted", **SEEN_BY_ALL),
        row("GET", "previous", **SEEN_BY_ALL),
        row("GET", "network_draft", **network_draft(200, mlds=200, academie=200)),
    ),
    "projects:attachment_delete": rows(
        row(
            "POST",
            "draft",
            anonymous=302,
            staff=302,
            head=302,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row("POST", "submitted", **FILED_REFUSED),
        row("POST", "previous", **FILED_REFUSED),
        row("POST", "network_draft", **network_draft(302)),
    ),
    "funding:estimate": rows(
        row("GET", "draft", **DRAFT_SEEN, others=404),
        row("GET", "submitted", **SEEN_BY_ALL),
        row(
            "POST",
            "draft",
            EMPTY_ESTIMATE,
            anonymous=302,
            staff=302,
            head=302,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row("POST", "submitted", **FILED_REFUSED),
    ),
    "funding:estimate_download": rows(
        row("GET", "in_review", **SEEN_BY_ALL),
        row("GET", "draft", **DRAFT_SEEN, others=404),
        row("GET", "submitted", **SEEN_BY_ALL),
    ),
    "funding:estimate_import": rows(
        row(
            "POST",
            "draft",
            anonymous=302,
            staff=400,  # no file posted: the estimate page says so at its top
            head=400,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        )
    ),
    "funding:estimate_template": rows(row("GET", None, anonymous=302, others=200)),
    "funding:envelope_list": rows(
        row("GET", None, anonymous=302, dsden=200, academie=200, others=403)
    ),
    "reviews:sheet_list": rows(row("GET", None, anonymous=302, others=200)),
    "reviews:sheet_list_export": rows(row("GET", None, anonymous=302, others=200)),
    # Every attachment of the list (its own scope's for each): not the MLDS's.
    "reviews:sheet_list_attachments": rows(row("GET", None, anonymous=302, mlds=403, others=200)),
    "reviews:submit": rows(
        # GET: the recap; POST: the submission, once confirmed (refused without: 200).
        row(
            "GET",
            "draft",
            anonymous=302,
            head=200,
            staff=403,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row(
            "POST",
            "draft",
            {"confirm": "on"},
            anonymous=302,
            head=302,
            staff=403,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row(
            "POST",
            "draft",
            anonymous=302,
            head=200,
            staff=403,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row("GET", "submitted", **FILED_REFUSED | {"head": 302}),  # already submitted: told so
        row("GET", "network_draft", **network_draft(200)),
    ),
    "reviews:prevalidate": rows(
        row("GET", "submitted", anonymous=302, network=200, others=403, other=404)
    ),
    "reviews:advise": rows(
        row(
            "POST",
            "in_review",
            {"text": "Associez le CIO."},  # a valid advice: a refused one is shown again (200)
            anonymous=302,
            mlds=302,
            others=403,
            other=404,
        )
    ),
    # The thread: the establishment and the reviewers write on a filed sheet; the network lead,
    # the MLDS (its advice instead) and the ministry read; no message on a draft.
    "reviews:message_post": rows(
        row(
            "POST",
            "in_review",
            {"text": "Bonjour"},
            anonymous=302,
            staff=302,
            head=302,
            dsden=302,
            academie=302,
            national=403,
            others=403,
            other=404,
        ),
        row("POST", "submitted", {"text": "Bonjour"}, **FILED_REFUSED | MESSAGE_POSTERS),
        row("POST", "previous", {"text": "Bonjour"}, **FILED_REFUSED | MESSAGE_POSTERS),
        row(
            "POST",
            "draft",
            {"text": "Bonjour"},
            anonymous=302,
            staff=403,
            head=403,
            mlds=403,
            academie=403,
            others=404,
            other=404,
        ),
        row("POST", "network_draft", {"text": "Bonjour"}, **network_draft(403)),
    ),
    "reviews:message_attachment": rows(row("GET", "in_review", **SEEN_BY_ALL)),
    "reviews:answer": rows(
        row("GET", "in_review", anonymous=302, dsden=200, others=403, other=404)
    ),
    # The reviewers' preparation (DSDEN of the département, académie): private notes,
    # assignment, follows, labels; on a filed sheet only (the académie and the MLDS see drafts).
    **{
        f"reviews:{name}": rows(
            row("POST", "in_review", data, **PREPARERS),
            row("POST", "previous", data, **PREPARERS),
            row("POST", "draft", data, **PREPARE_DRAFT),
        )
        for name, data in (
            ("note_add", {"text": "À voir en commission"}),
            ("assign", {"reviewer": ""}),
            ("follow", {"on": "1"}),
            ("sheet_labels", {}),
        )
    },
    "reviews:list_action": rows(
        row(
            "POST",
            None,
            {"action": ""},
            anonymous=302,
            dsden=302,
            academie=302,
            national=403,
            others=403,
        )
    ),
    "reviews:labels": rows(
        row("GET", None, anonymous=302, dsden=200, academie=200, national=403, others=403)
    ),
    "reviews:label_delete": rows(row("POST", "label", **COMMISSION_ACTS)),
    "reviews:commission_list": rows(
        row("GET", None, anonymous=302, dsden=200, academie=200, national=403, others=403)
    ),
    "reviews:commission_detail": rows(row("GET", "commission", **COMMISSION_SEEN)),
    "reviews:commission_proposals": rows(row("POST", "commission", {}, **COMMISSION_ACTS)),
    # Nothing ticked: the page again, saying so.
    "reviews:commission_decide": rows(
        row("POST", "commission", {"answer": "reject"}, **COMMISSION_SEEN)
    ),
    "reviews:commission_remove": rows(
        row("POST", "commission", {"item": "commission_item"}, **COMMISSION_ACTS)
    ),
    "reviews:commission_pdf": rows(row("POST", "commission", {}, **COMMISSION_ACTS)),
    "reviews:resubmit": rows(
        row("GET", "needs_info", anonymous=302, head=200, others=403, other=404)
    ),
    "reviews:reopen": rows(
        row(
            "GET",
            "validated",
            anonymous=302,
            dsden=200,
            academie=200,
            national=403,
            others=403,
            other=404,
        )
    ),
    "reviews:withdraw": rows(
        row("GET", "in_review", anonymous=302, head=200, others=403, other=404)
    ),
    "reviews:bilan": rows(
        row("GET", "validated_bilan", anonymous=302, staff=200, head=200, others=403, other=404)
    ),
    "reviews:sheet_pdf": rows(row("GET", "in_review", **SEEN_BY_ALL)),
    "reviews:receipt_pdf": rows(
        row("GET", "in_review", **SEEN_BY_ALL),
        row("GET", "submitted", **SEEN_BY_ALL),
        row("GET", "previous", **SEEN_BY_ALL),
        row("GET", "draft", anonymous=302, others=404),  # nothing before submission
        row("GET", "network_draft", anonymous=302, others=404),
    ),
    "reviews:bulk_pdf": rows(row("POST", None, anonymous=302, dsden=302, academie=302, others=403)),
    "reviews:statistics": rows(
        row("GET", None, anonymous=302, dsden=200, academie=200, others=403)
    ),
    "reviews:statistics_export": rows(
        row("GET", None, anonymous=302, dsden=200, academie=200, others=403)
    ),
    "reviews:bulk_export": rows(
        row("GET", "export", anonymous=302, dsden=200, dsden_elsewhere=404, others=404, other=404)
    ),
    # The guide and the footer's legal pages: public, signed in or not.
    **{
        f"reviews:{name}": rows(row("GET", None, anonymous=200, others=200))
        for name in (
            "guide",
            "guide_filing",
            "guide_sections",
            "guide_means",
            "guide_calendar",
            "guide_answers",
            "guide_bilan",
            "guide_reviewers",
            "accessibility",
            "legal_notice",
            "personal_data",
        )
    },
    "reviews:bulk_export_download": rows(
        row(
            "GET",
            "export",
            anonymous=302,
            dsden=200,
            dsden_other=404,
            dsden_elsewhere=404,
            academie=404,
            academie_elsewhere=404,
            others=403,
            other=403,
        )
    ),
}
# The kinds of sheets every URL of a sheet (projects' <int:pk>) is tried on.
SHEET_KINDS = {"draft", "submitted", "previous", "network_draft"}


def expected_status(statuses, role, scope) -> int:
    if role == "national":
        if "national" in statuses:
            return statuses["national"]
        role, scope = "academie", "other" if scope == "elsewhere" else scope
    elif role in MIRROR:
        role, scope = (
            MIRROR[role],
            {"own": "other", "other": "own", "elsewhere": "elsewhere"}[scope],
        )
    elif role in LIKE_ON_OTHER:
        role, scope = LIKE_ON_OTHER[role], "other"
    elif role in LIKE_ELSEWHERE:
        role, scope = LIKE_ELSEWHERE[role], "elsewhere"
    if f"{role}_{scope}" in statuses:
        return statuses[f"{role}_{scope}"]
    if scope == "elsewhere":
        # Another académie's object: for Créteil's staff too, what outsiders get on "other".
        if role == "anonymous" or "other" not in statuses:
            scope = "other"
        else:
            return statuses["other"]
    if scope == "other" and role not in ("anonymous", "academie") and "other" in statuses:
        return statuses["other"]
    if role in statuses:
        return statuses[role]
    return statuses["others"]


def test_every_url_has_an_entry():
    assert url_names() == set(EXPECTED), "Ajoutez les nouvelles adresses à EXPECTED."


def test_every_sheet_url_is_tried_on_each_kind_of_sheet():
    from projects import urls

    sheet_urls = {f"projects:{p.name}" for p in urls.urlpatterns if "<int:pk>" in str(p.pattern)}
    assert sheet_urls
    for name in sheet_urls:
        assert {target for _, target, _, _ in EXPECTED[name]} >= SHEET_KINDS, name


def build_world():
    """One object of each kind in the demo collège's scope, and the same in the 94."""
    personas = build_personas()
    dsden = personas.dsden93
    other_establishment = EstablishmentFactory(department=department("94"))

    def sheets_of(establishment):
        made = {"draft": SheetFactory(establishment=establishment, complete=True)}
        for state in ["submitted", "in_review", "needs_info", "validated"]:
            made[state] = SheetFactory(establishment=establishment, **{state: True})
        made["previous"] = SheetFactory(
            establishment=establishment, validated=True, campaign=personas.previous_campaign
        )
        return made

    elsewhere_establishment = EstablishmentFactory(department=department("86"))
    own, other = sheets_of(personas.college), sheets_of(other_establishment)
    elsewhere = sheets_of(elsewhere_establishment)
    for establishment in (other_establishment, elsewhere_establishment):
        member(role="etablissement", establishment=establishment)
    own["network_draft"] = SheetFactory(establishment=None, network=personas.network)
    for sheet in [*own.values(), *other.values(), *elsewhere.values()]:
        attachment = Attachment(
            sheet=sheet,
            kind="other",
            original_name="piece.pdf",
            content_type="application/pdf",
            size=9,
            uploaded_by=dsden,
        )
        attachment.file.save("piece.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    for sheet in (own["in_review"], other["in_review"], elsewhere["in_review"]):
        message = Message.objects.create(sheet=sheet, side="reviewer", text="Bonjour", author=dsden)
        attachment = MessageAttachment(
            message=message, original_name="grille.pdf", content_type="application/pdf", size=9
        )
        attachment.file.save("grille.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    desk = {}
    for scope, objects in (("own", own), ("other", other), ("elsewhere", elsewhere)):
        sheet = objects["in_review"]
        reviewer = dsden_of(sheet)
        desk[f"{scope}_label"] = Label.objects.create(
            department=sheet.department, name="À revoir", colour="orange-terre-battue"
        )
        commission = Commission.objects.create(
            department=sheet.department,
            campaign=sheet.campaign,
            date=datetime.date(2024, 7, 2),
            means="credits",
            created_by=reviewer,
        )
        CommissionSheet.objects.create(commission=commission, sheet=sheet, position=1)
        desk[f"{scope}_commission"] = commission
    export = BulkExport.objects.create(
        requested_by=dsden, sheet_ids=[own["in_review"].pk], state="ready", page_count=1
    )
    export.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    # The other département's DSDEN's export (dsden94 mirrors dsden93)
    someone_else = BulkExport.objects.create(
        requested_by=personas.dsden94, sheet_ids=[], state="ready"
    )
    someone_else.file.save("y.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    # An export of another académie's DSDEN
    elsewhere_export = BulkExport.objects.create(
        requested_by=personas.dsden86, sheet_ids=[], state="ready"
    )
    elsewhere_export.file.save("z.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    assert Estimate.objects.filter(sheet=own["draft"]).exists()
    assert Grant.objects.get(sheet=own["validated"]).hse == 20  # granted by the validation
    return {
        "own": own,
        "other": other,
        "elsewhere": elsewhere,
        "elsewhere_establishment": elsewhere_establishment,
        "export": export,
        "other_export": someone_else,
        "elsewhere_export": elsewhere_export,
        "college": personas.college,
        "other_establishment": other_establishment,
        **desk,
    }


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    """Built once for the module, in a transaction rolled back at its end (as Django's
    TestCase.setUpTestData): each test runs in a savepoint of it."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(MEDIA_ROOT=world_media, PASSWORD_HASHERS=fast):
                built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def media_root(settings, world_media):
    """The world's files, saved once for the module."""
    settings.MEDIA_ROOT = world_media
    return world_media


def url_for(name, target, scope, world):
    objects = world[scope]
    if name == "favicon.ico":
        return "/favicon.ico"
    if target is None:
        return reverse(name)
    if target == "reset":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    if target == "uai":
        establishment = {
            "own": world["college"],
            "other": world["other_establishment"],
            "elsewhere": world["elsewhere_establishment"],
        }[scope]
        return reverse(name, kwargs={"uai": establishment.uai})
    if target == "team_member":
        establishment = world[{"own": "college"}.get(scope, f"{scope}_establishment")]
        member = establishment.memberships.get(role="etablissement")
        return reverse(name, kwargs={"uai": establishment.uai, "membership_pk": member.pk})
    if target == "export":
        export = world[{"own": "export", "other": "other_export"}.get(scope, "elsewhere_export")]
        return reverse(name, kwargs={"pk": export.pk})
    if name.startswith("projects:attachment_") and name != "projects:attachment_add":
        attachment = objects[target].attachments.get()
        return reverse(name, kwargs={"pk": attachment.sheet_id, "attachment_pk": attachment.pk})
    if name == "reviews:message_attachment":
        attachment = MessageAttachment.objects.get(message__sheet=objects[target])
        return reverse(name, kwargs={"pk": objects[target].pk, "attachment_pk": attachment.pk})
    if target == "validated_bilan":
        return reverse(name, kwargs={"pk": objects["validated"].pk, "stage": "final"})
    if target == "label":
        return reverse(name, kwargs={"label_pk": world[f"{scope}_label"].pk})
    if target == "commission":
        return reverse(name, kwargs={"pk": world[f"{scope}_commission"].pk})
    return reverse(name, kwargs={"pk": objects[target].pk})


def french_405(response) -> bool:
    """The French page in the site's layout (aps.middleware), its Allow header kept."""
    page = response.content.decode()
    return (
        "Cette adresse ne s'ouvre pas directement" in page
        and 'class="fr-header"' in page
        and bool(response.get("Allow"))
    )


def posted(data, scope, world):
    """What a POST sends, with the row of the scope's commission where it names one."""
    if data and data.get("item") == "commission_item":
        return {"item": str(world[f"{scope}_commission"].items.get().pk)}
    return data


class _RollBack(Exception):
    pass


def request_then_roll_back(client, method, url, data):
    """The request's writes are undone, so that each persona meets the same objects."""
    try:
        with transaction.atomic():
            response = client.post(url, data or {}) if method == "POST" else client.get(url)
            raise _RollBack
    except _RollBack:
        return response


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access(db, world, name, today):
    """Every persona, on its own scope's object and on another's; all mismatches reported."""
    today(datetime.date(2024, 6, 3))
    mismatches = []
    users = {role: User.objects.get(email=email) for role, email in EMAILS.items()}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        signed_in = SimpleCookie(client.cookies)  # logout and login change the cookies
        for position, (method, target, data, statuses) in enumerate(EXPECTED[name]):
            # An outsider meets every object alike: tried on the collège's only.
            outsider = role in LIKE_ON_OTHER or role in LIKE_ELSEWHERE
            every = position == 0 and target not in (None, "reset") and not outsider
            for scope in ["own", "other", "elsewhere"] if every else ["own"]:
                client.cookies = SimpleCookie(signed_in)
                url = url_for(name, target, scope, world)
                response = request_then_roll_back(client, method, url, posted(data, scope, world))
                expected = expected_status(statuses, role, scope)
                if response.status_code != expected:
                    mismatches.append(
                        f"{role} {method} {url} ({target}, {scope}): "
                        f"{response.status_code}, attendu {expected}"
                    )
                elif expected == 302 and (role == "anonymous" or name == "admin:index"):
                    if name == "logout":
                        continue
                    login = reverse("admin:login") if name == "admin:index" else reverse("login")
                    if not response["Location"].startswith(login):
                        mismatches.append(f"{role} {url}: redirected to {response['Location']}")
    assert not mismatches, "\n".join(mismatches)


POST_ONLY = sorted(name for name, lines in EXPECTED.items() if {m for m, *_ in lines} == {"POST"})


@pytest.mark.parametrize("name", POST_ONLY)
def test_a_get_on_a_post_only_url_answers_the_french_page(db, world, name, today):
    """Opened from the address bar, an action's URL says so in French, in the site's layout
    (every ``require_POST`` view and LogoutView at once: aps.middleware)."""
    today(datetime.date(2024, 6, 3))
    client = Client()
    client.force_login(User.objects.get(email=EMAILS["head"]))
    _method, target, _data, _statuses = EXPECTED[name][0]
    response = client.get(url_for(name, target, "own", world))
    assert response.status_code == 405
    assert french_405(response), response.content[:200]
