"""Access matrix of every sheet URL: role × own / other establishment's sheet × URL.

Visibility (else 404): staff and head see their establishment's sheets; the network lead the
network's own sheets and the filed sheets of its members; the MLDS coordinator every sheet of the district, drafts included (and
those of networks with members in the district); the
DSDEN the département's sheets but drafts; the académie everything. Actions on a visible
sheet that the role may not take are 403. Anonymous users are sent to the login page.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from aps.models import User
from projects.models import Attachment, Campaign, Establishment, ProjectSheet
from tests.factories import SheetFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "staff.college@aps.test",
    "chef.college@aps.test",
    "staff.lycee@aps.test",
    "chef.lycee@aps.test",
    "foquale@aps.test",
    "mlds@aps.test",
    "dsden93@aps.test",
    "dsden94@aps.test",
    "academie@aps.test",
]
COLLEGE = {"staff.college@aps.test", "chef.college@aps.test"}

# Who sees each sheet (anyone else gets a 404).
VISIBLE = {
    "college_draft": COLLEGE | {"mlds@aps.test", "academie@aps.test"},
    "college_submitted": COLLEGE
    | {"foquale@aps.test", "mlds@aps.test", "dsden93@aps.test", "academie@aps.test"},
    "college_previous": COLLEGE
    | {"foquale@aps.test", "mlds@aps.test", "dsden93@aps.test", "academie@aps.test"},
    "network_draft": {"foquale@aps.test", "mlds@aps.test", "academie@aps.test"},
}
# Who may act, among those who see (anyone else who sees gets a 403).
MAY = {
    "detail": VISIBLE,
    "download": VISIBLE,
    "edit": {"college_draft": COLLEGE, "network_draft": {"foquale@aps.test"}},
    "attach": {"college_draft": COLLEGE, "network_draft": {"foquale@aps.test"}},
    "detach": {"college_draft": COLLEGE, "network_draft": {"foquale@aps.test"}},
    "delete": {"college_draft": {"chef.college@aps.test"}, "network_draft": {"foquale@aps.test"}},
    "renew": {"college_previous": COLLEGE},
}
# action: (HTTP method, URL name, status when allowed), in the order the matrix runs them
ACTIONS = {
    "detail": ("get", "reviews:sheet_detail", 200),
    "edit": ("get", "projects:sheet_edit", 200),
    "delete": ("get", "projects:sheet_delete", 200),
    "renew": ("post", "projects:sheet_renew", 302),
    "attach": ("post", "projects:attachment_add", 302),
    "download": ("get", "projects:attachment_download", 200),
    "detach": ("post", "projects:attachment_delete", 302),
}


@pytest.fixture
def sheets(demo):
    college = Establishment.objects.get(uai="0931610V")
    network = college.foquale_networks.get()
    previous = Campaign.objects.get(school_year="2023-2024")
    result = {
        "college_draft": SheetFactory(establishment=college),
        "college_submitted": SheetFactory(establishment=college, submitted=True),
        "college_previous": SheetFactory(
            establishment=college, campaign=previous, status=ProjectSheet.Status.VALIDATED
        ),
        "network_draft": SheetFactory(establishment=None, network=network),
    }
    for sheet in result.values():
        attachment = Attachment(
            sheet=sheet,
            kind="other",
            original_name="a.pdf",
            content_type="application/pdf",
            size=9,
            uploaded_by=sheet.created_by,
        )
        attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return result


def expected_status(persona: str, action: str, sheet_key: str) -> int:
    if persona == "anonymous":
        return 302
    if persona not in VISIBLE[sheet_key]:
        return 404
    allowed = persona in MAY[action].get(sheet_key, set())
    return ACTIONS[action][2] if allowed else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_sheet_access_matrix(client, sheets, persona):
    """One persona per test, every (URL, sheet) pair inside it: the actions run in the order
    of ACTIONS, which keeps the ones that change data (renew, detach) last."""
    if persona != "anonymous":
        client.force_login(User.objects.get(email=persona))
    mismatches = []
    for action, (method, url_name, _) in ACTIONS.items():
        for sheet_key, sheet in sheets.items():
            args = [sheet.pk]
            if url_name in ("projects:attachment_download", "projects:attachment_delete"):
                args.append(sheet.attachments.get().pk)
            response = getattr(client, method)(reverse(url_name, args=args))
            expected = expected_status(persona, action, sheet_key)
            if response.status_code != expected:
                mismatches.append(f"{action} {sheet_key}: {response.status_code} ≠ {expected}")
            elif persona == "anonymous" and not response["Location"].startswith(reverse("login")):
                mismatches.append(f"{action} {sheet_key}: not sent to login")
    assert mismatches == []


def test_the_matrix_covers_every_sheet_url():
    from projects import urls

    sheet_urls = {f"projects:{p.name}" for p in urls.urlpatterns if "<int:pk>" in str(p.pattern)}
    # The sheet's page itself is drawn by the reviews app (it shows the workflow).
    sheet_urls.add("reviews:sheet_detail")
    covered = {url_name for _, url_name, _ in ACTIONS.values()}
    assert sheet_urls == covered


@pytest.mark.parametrize(
    ("persona", "list_status", "create_status"),
    [
        ("staff.college@aps.test", 200, 200),
        ("chef.lycee@aps.test", 200, 200),
        ("foquale@aps.test", 200, 200),
        ("mlds@aps.test", 200, 403),
        ("dsden93@aps.test", 200, 403),
        ("academie@aps.test", 200, 403),
    ],
)
def test_list_and_create_by_role(client, sheets, persona, list_status, create_status):
    client.force_login(User.objects.get(email=persona))
    assert client.get(reverse("reviews:sheet_list")).status_code == list_status
    assert client.get(reverse("projects:sheet_create")).status_code == create_status


@pytest.mark.parametrize("persona", ["anonymous"])
def test_anonymous_is_sent_to_login_for_list_and_create(client, persona):
    for name in ("reviews:sheet_list", "projects:sheet_create"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def test_lists_show_only_visible_sheets(client, sheets):
    titles = {key: sheet.title for key, sheet in sheets.items()}
    for persona in PERSONAS[1:]:
        client.force_login(User.objects.get(email=persona))
        page = client.get(reverse("reviews:sheet_list"), {"campaign": ""}).content.decode()
        for key, title in titles.items():
            assert (title in page) == (persona in VISIBLE[key]), f"{persona} {key}"
