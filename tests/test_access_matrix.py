"""The access matrix, generated from the URLconf: every URL of the project, requested by an
anonymous visitor and by each demo role, on an object of the role's own scope and on one of
another département. ``EXPECTED`` is the table of what each must get; a URL missing from it
fails the test, so that no new page ships without deciding who may open it.

Statuses: 200 page, 302 redirect (to the login page for anonymous visitors, or after an
action), 301 permanent redirect, 403 refused (the object is visible, the action is not
yours), 404 not found (not in your scope: another establishment's sheet is never a 403),
405 method not allowed.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aps.models import User
from funding.models import Estimate, Grant
from projects.models import Attachment, Campaign, ProjectSheet
from reviews.models import BulkExport
from tests.factories import EstablishmentFactory, SheetFactory, department

ROLES = ["anonymous", "staff", "head", "network", "mlds", "dsden", "academie"]
EMAILS = {
    "staff": "staff.college@aps.test",
    "head": "chef.college@aps.test",
    "network": "foquale@aps.test",
    "mlds": "mlds@aps.test",
    "dsden": "dsden93@aps.test",
    "academie": "academie@aps.test",
}


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


# URL name → (method, what its arguments point to, {role: status on the own object},
# status on another département's object for every role but the académie, which sees all;
# ``<role>_<scope>`` overrides both).
# Objects: a sheet of the demo collège (93, the MLDS's district, the network's member) in the
# named state, or the same in the 94 for "other".


def row(method, target, **statuses):
    return method, target, statuses


EXPECTED = {
    "home": row("GET", None, anonymous=302, others=200),
    "login": row("GET", None, anonymous=200, others=302),  # signed in: sent home
    "logout": row("POST", None, anonymous=302, others=302),
    "password_change": row("GET", None, anonymous=302, others=200),
    "password_change_done": row("GET", None, anonymous=302, others=200),
    "password_reset": row("GET", None, anonymous=200, others=200),
    "password_reset_done": row("GET", None, anonymous=200, others=200),
    "password_reset_confirm": row("GET", "reset", anonymous=200, others=200),
    "password_reset_complete": row("GET", None, anonymous=200, others=200),
    "favicon.ico": row("GET", None, anonymous=301, others=301),
    "admin:index": row("GET", None, anonymous=302, academie=200, others=302),
    "projects:establishment_list": row("GET", None, anonymous=302, others=200),
    "projects:establishment_detail": row("GET", "uai", anonymous=302, others=200),
    "projects:sheet_create": row(
        "GET", None, anonymous=302, staff=200, head=200, network=200, others=403
    ),
    "reviews:sheet_detail": row("GET", "in_review", anonymous=302, others=200, other=404),
    "projects:sheet_edit": row(
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
    "projects:sheet_delete": row(
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
    "projects:sheet_renew": row(
        "POST", "previous", anonymous=302, staff=302, head=302, others=403, other=404
    ),
    "projects:attachment_add": row(
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
    "projects:attachment_download": row("GET", "attachment", anonymous=302, others=200, other=404),
    "projects:attachment_delete": row(
        "POST",
        "draft_attachment",
        anonymous=302,
        staff=302,
        head=302,
        mlds=403,
        academie=403,
        others=404,
        other=404,
    ),
    "funding:estimate": row(
        "GET",
        "draft",
        anonymous=302,
        staff=200,
        head=200,
        mlds=200,
        academie=200,
        others=404,
        other=404,
    ),
    "funding:estimate_download": row("GET", "in_review", anonymous=302, others=200, other=404),
    "funding:estimate_import": row(
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
    "funding:estimate_template": row("GET", None, anonymous=302, others=200),
    "funding:envelope_list": row("GET", None, anonymous=302, dsden=200, academie=200, others=403),
    "reviews:sheet_list": row("GET", None, anonymous=302, others=200),
    "reviews:sheet_list_export": row("GET", None, anonymous=302, others=200),
    "reviews:submit": row(
        "POST",
        "draft",
        anonymous=302,
        head=302,
        staff=403,
        mlds=403,
        academie=403,
        others=404,
        other=404,
    ),
    "reviews:prevalidate": row(
        "GET", "submitted", anonymous=302, network=200, others=403, other=404
    ),
    "reviews:advise": row("POST", "in_review", anonymous=302, mlds=302, others=403, other=404),
    "reviews:answer": row("GET", "in_review", anonymous=302, dsden=200, others=403, other=404),
    "reviews:resubmit": row("GET", "needs_info", anonymous=302, head=200, others=403, other=404),
    "reviews:reopen": row(
        "GET", "validated", anonymous=302, dsden=200, academie=200, others=403, other=404
    ),
    "reviews:withdraw": row("GET", "in_review", anonymous=302, head=200, others=403, other=404),
    "reviews:bilan": row(
        "GET", "validated_bilan", anonymous=302, staff=200, head=200, others=403, other=404
    ),
    "reviews:sheet_pdf": row("GET", "in_review", anonymous=302, others=200, other=404),
    "reviews:bulk_pdf": row("POST", None, anonymous=302, dsden=302, academie=302, others=403),
    "reviews:statistics": row("GET", None, anonymous=302, dsden=200, academie=200, others=403),
    "reviews:statistics_export": row(
        "GET", None, anonymous=302, dsden=200, academie=200, others=403
    ),
    "reviews:bulk_export": row("GET", "export", anonymous=302, dsden=200, others=404, other=404),
    "reviews:bulk_export_download": row(
        "GET",
        "export",
        anonymous=302,
        dsden=200,
        dsden_other=404,
        academie=404,
        others=403,
        other=403,
    ),
}


def expected_status(name, role, scope) -> int:
    _method, _target, statuses = EXPECTED[name]
    if f"{role}_{scope}" in statuses:
        return statuses[f"{role}_{scope}"]
    if scope == "other" and role not in ("anonymous", "academie") and "other" in statuses:
        return statuses["other"]
    if role in statuses:
        return statuses[role]
    return statuses["others"]


def test_every_url_has_an_entry():
    assert url_names() == set(EXPECTED), "Ajoutez les nouvelles adresses à EXPECTED."


@pytest.fixture
def world(demo, media_root):
    """One object of each kind in the demo collège's scope, and the same in the 94."""
    dsden = User.objects.get(email="dsden93@aps.test")
    college = ProjectSheet.objects.filter(establishment__uai="0931610V").first().establishment
    other_establishment = EstablishmentFactory(department=department("94"))
    previous = Campaign.objects.get(school_year="2023-2024")

    def sheets_of(establishment):
        made = {}
        for state in ["draft", "submitted", "in_review", "needs_info", "validated"]:
            made[state] = SheetFactory(establishment=establishment, complete=True, status=state)
        Grant.objects.create(
            sheet=made["validated"],
            requested_euros=0,
            requested_hse=Decimal(20),
            requested_imp=0,
            hse=Decimal(20),
            granted_by=dsden,
        )
        made["previous"] = SheetFactory(
            establishment=establishment, complete=True, status="validated", campaign=previous
        )
        for key, sheet in [("attachment", made["in_review"]), ("draft_attachment", made["draft"])]:
            attachment = Attachment(
                sheet=sheet,
                kind="other",
                original_name="piece.pdf",
                content_type="application/pdf",
                size=9,
                uploaded_by=dsden,
            )
            attachment.file.save("piece.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
            made[key] = attachment
        return made

    own, other = sheets_of(college), sheets_of(other_establishment)
    export = BulkExport.objects.create(
        requested_by=dsden, sheet_ids=[own["in_review"].pk], state="ready", page_count=1
    )
    export.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    someone_else = BulkExport.objects.create(
        requested_by=User.objects.get(email="dsden77@aps.test"), sheet_ids=[], state="ready"
    )
    assert Estimate.objects.filter(sheet=own["draft"]).exists()
    return {
        "own": own,
        "other": other,
        "export": export,
        "other_export": someone_else,
        "college": college,
        "other_establishment": other_establishment,
    }


def url_for(name, target, scope, world):
    objects = world[scope]
    if name == "favicon.ico":
        return "/favicon.ico"
    if target is None:
        return reverse(name)
    if target == "reset":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    if target == "uai":
        establishment = world["college"] if scope == "own" else world["other_establishment"]
        return reverse(name, kwargs={"uai": establishment.uai})
    if target == "export":
        export = world["export"] if scope == "own" else world["other_export"]
        return reverse(name, kwargs={"pk": export.pk})
    if target in ("attachment", "draft_attachment"):
        attachment = objects[target]
        return reverse(name, kwargs={"pk": attachment.sheet_id, "attachment_pk": attachment.pk})
    if target == "validated_bilan":
        return reverse(name, kwargs={"pk": objects["validated"].pk, "stage": "final"})
    return reverse(name, kwargs={"pk": objects[target].pk})


class _RollBack(Exception):
    pass


def request_then_roll_back(client, method, url):
    """The request's writes are undone, so that each role meets the same objects."""
    try:
        with transaction.atomic():
            response = client.post(url) if method == "POST" else client.get(url)
            raise _RollBack
    except _RollBack:
        return response


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access(world, name, today):
    """Every role, on its own scope's object and on another's; all mismatches reported."""
    today(datetime.date(2024, 6, 3))
    method, target, _statuses = EXPECTED[name]
    scopes = ["own"] if target in (None, "reset") else ["own", "other"]
    mismatches = []
    for role in ROLES:
        for scope in scopes:
            client = Client()
            if role != "anonymous":
                client.force_login(User.objects.get(email=EMAILS[role]))
            url = url_for(name, target, scope, world)
            response = request_then_roll_back(client, method, url)
            expected = expected_status(name, role, scope)
            if response.status_code != expected:
                mismatches.append(
                    f"{role} {method} {url} ({scope}): {response.status_code}, attendu {expected}"
                )
            elif role == "anonymous" and expected == 302 and name != "logout":
                login = reverse("admin:login") if name == "admin:index" else reverse("login")
                if not response["Location"].startswith(login):
                    mismatches.append(f"anonymous {url}: redirected to {response['Location']}")
    assert not mismatches, "\n".join(mismatches)
