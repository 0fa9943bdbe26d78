"""Hostile inputs in forms: huge texts, absurd numbers and dates, HTML everywhere, a missing
CSRF token, the same form posted twice, tampered hidden fields. Each is refused with a
French message, or harmlessly stored as text — never half-written, never executed.

(Hostile files are tested where they are read: tests/projects/test_attachments.py for
uploads — renamed executables, PDF/ZIP polyglots, oversize —, tests/funding/test_workbook.py
for .xlsx — zip bombs, damaged workbooks, formulas —, test_import_establishments.py for CSV
in the wrong encoding.)"""

import io
import subprocess
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import path, reverse
from openpyxl import load_workbook

from aps import urls as aps_urls
from aps.models import User
from funding.models import Estimate
from projects.models import Establishment, ProjectSheet
from reviews.models import Advice
from reviews.workflow import services
from tests.factories import EstablishmentFactory, SheetFactory, department
from tests.reviews.conftest import complete_sheet

pytestmark = pytest.mark.django_db
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"
CREATE = reverse("projects:sheet_create")


def user(email):
    return User.objects.get(email=email)


def login(client, email):
    client.force_login(user(email))
    return client


def test_100000_character_text_is_refused_and_kept_in_the_form(client, personas):
    login(client, "staff.college@aps.test")
    before = ProjectSheet.objects.count()
    response = client.post(CREATE, {"title": "Atelier", "problem": "a" * 100_000})
    page = response.content.decode()
    assert response.status_code == 200
    assert "5000 caractères" in page
    assert "a" * 1000 in page  # what was typed is still there
    assert ProjectSheet.objects.count() == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "supérieure ou égale à 0"),
        ("NaN", "«\xa0NaN\xa0» n&#x27;est pas un nombre"),
        ("1e308", "«\xa01e308\xa0» n&#x27;est pas un nombre"),
        ("99999999999999999999", "inférieure ou égale à 9\xa0999"),
    ],
)
def test_absurd_numbers_are_refused(client, personas, value, message):
    login(client, "staff.college@aps.test")
    before = ProjectSheet.objects.count()
    response = client.post(CREATE, {"title": "Atelier", "expected_pupils": value})
    assert message in response.content.decode()
    assert ProjectSheet.objects.count() == before


@pytest.mark.parametrize("value", ["31/02/2024", "0000-01-01", "99999-12-31", "demain"])
def test_impossible_dates_are_refused(client, personas, value):
    login(client, "staff.college@aps.test")
    before = ProjectSheet.objects.count()
    response = client.post(CREATE, {"title": "Atelier", "start_date": value})
    assert "Saisissez une date valide" in response.content.decode()
    assert ProjectSheet.objects.count() == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "supérieure ou égale à 0"),
        ("NaN", "«\xa0NaN\xa0» n&#x27;est pas un nombre"),
        ("Infinity", "«\xa0Infinity\xa0» n&#x27;est pas un nombre"),
    ],
)
def test_absurd_amounts_in_an_answer_are_refused(client, personas, value, message):
    sheet = complete_sheet(state="in_review")
    login(client, "dsden93@aps.test")
    response = client.post(
        reverse("reviews:answer", kwargs={"pk": sheet.pk}),
        {"action": "validate", "validate-euros": value, "validate-hse": "1", "validate-imp": "0"},
    )
    assert message in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == "in_review"


def test_html_is_text_in_pages_emails_pdf_and_xlsx(
    client, personas, django_capture_on_commit_callbacks
):
    sheet = complete_sheet(state="in_review")
    ProjectSheet.objects.filter(pk=sheet.pk).update(title=XSS, problem=XSS, partners="=1+1")
    sheet.refresh_from_db()
    # Page: escaped
    login(client, "dsden93@aps.test")
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    )
    # The list (its rows are written in Python): escaped too, the carrier's name included
    Establishment.objects.filter(pk=sheet.establishment_id).update(name=XSS, city='"><b>x')
    listing = client.get(reverse("reviews:sheet_list")).content.decode()
    assert "<script>alert" not in listing and '"><b>x' not in listing
    assert listing.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 2  # title, carrier
    assert "&quot;&gt;&lt;b&gt;x" in listing
    # E-mail: plain text, the title as typed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(sheet=sheet, by=user("dsden93@aps.test"), comment=XSS)
    assert mail.outbox and XSS in mail.outbox[0].body
    assert mail.outbox[0].content_subtype == "plain"
    # PDF: printed as text
    data = b"".join(client.get(reverse("reviews:sheet_pdf", kwargs={"pk": sheet.pk})))
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "<script>alert('x')</script>" in " ".join(text.split())
    # xlsx: text, never a formula
    response = client.get(reverse("reviews:sheet_list_export") + "?campaign=&status=rejected")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["Fiches"].iter_rows(values_only=True))
    column = rows[0].index("Titre de l'action")
    titles = [row[column] for row in rows[1:]]
    assert XSS in titles


def test_formula_typed_in_the_estimate_stays_text_in_its_workbook(client, personas):
    sheet = complete_sheet()
    from funding.models import HseLine

    HseLine.objects.filter(estimate__sheet=sheet).update(activity='=HYPERLINK("http://x")')
    login(client, "staff.college@aps.test")
    response = client.get(reverse("funding:estimate_download", kwargs={"pk": sheet.pk}))
    workbook = load_workbook(io.BytesIO(b"".join(response)))
    cells = [
        c for row in workbook["HSE"].iter_rows() for c in row if c.value == '=HYPERLINK("http://x")'
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_missing_csrf_token_is_refused_and_nothing_written(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("staff.college@aps.test"))
    before = ProjectSheet.objects.count()
    response = client.post(CREATE, {"title": "Sans jeton"})
    assert response.status_code == 403
    assert ProjectSheet.objects.count() == before


def test_double_submission_of_a_transition_is_idempotent(client, personas, today):
    sheet = complete_sheet()
    login(client, "chef.college@aps.test")
    url = reverse("reviews:submit", kwargs={"pk": sheet.pk})
    client.post(url, {"confirm": "on"})
    second = client.post(url, {"confirm": "on"}, follow=True)
    assert "Ce projet a déjà été déposé." in second.content.decode()
    assert sheet.events.filter(transition="submit").count() == 1


def test_double_answer_records_one_answer(client, personas):
    sheet = complete_sheet(state="in_review")
    login(client, "dsden93@aps.test")
    url = reverse("reviews:answer", kwargs={"pk": sheet.pk})
    data = {"action": "reject", "reject-comment": "Hors du champ."}
    client.post(url, data)
    second = client.post(url, data, follow=True)
    assert "Ce projet a déjà reçu une réponse." in second.content.decode()
    assert sheet.events.filter(transition="reject").count() == 1


def test_tampered_carrier_cannot_file_for_another_establishment(client, personas):
    other = EstablishmentFactory(department=department("94"))
    login(client, "staff.college@aps.test")
    client.post(CREATE, {"title": "Détournée", "carrier": f"establishment-{other.pk}"})
    sheet = ProjectSheet.objects.get(title="Détournée")
    assert sheet.establishment == Establishment.objects.get(uai="0931610V")
    assert not other.sheets.exists()


def test_tampered_ids_in_urls_reach_nothing_outside_the_scope(client, personas):
    other = SheetFactory(
        establishment=EstablishmentFactory(department=department("94")), in_review=True
    )
    login(client, "mlds@aps.test")
    response = client.post(reverse("reviews:advise", kwargs={"pk": other.pk}), {"text": "Intrus"})
    assert response.status_code == 404
    assert not Advice.objects.exists()


def test_tampered_version_does_not_overwrite_a_newer_edit(client, personas):
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"), title="Originale")
    login(client, "staff.college@aps.test")
    response = client.post(
        reverse("projects:sheet_edit", kwargs={"pk": sheet.pk}),
        {"title": "Écrasée", "version": "forged"},
    )
    assert response.status_code == 200
    sheet.refresh_from_db()
    assert sheet.title == "Originale"


def test_missing_version_does_not_overwrite_and_keeps_what_was_typed(client, personas):
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"), title="Originale")
    login(client, "staff.college@aps.test")
    response = client.post(
        reverse("projects:sheet_edit", kwargs={"pk": sheet.pk}),
        {"title": "Écrasée", "problem": "Mon texte tapé"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "modifiée entre-temps" in page
    assert "Mon texte tapé" in page
    sheet.refresh_from_db()
    assert sheet.title == "Originale"


@pytest.mark.parametrize("name", ["title", "pupil_levels"])
@pytest.mark.parametrize("control", ["\n", "\r", "\x00", "\x1b", "\u2028"])
def test_control_character_in_a_single_line_field_is_refused_and_kept(
    client, personas, name, control
):
    login(client, "staff.college@aps.test")
    before = ProjectSheet.objects.count()
    typed = f"Atelier{control}Bcc: intrus@exemple.fr"
    response = client.post(CREATE, {"title": "Atelier", name: typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "tenir sur une seule ligne" in page
    assert "Bcc: intrus@exemple.fr" in page  # what was typed is still there
    assert ProjectSheet.objects.count() == before


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (
            "HseLineForm",
            {
                "activity": "Atelier\nBcc: x",
                "speaker": "titulaire",
                "hour_kind": "face",
                "weeks": "2",
                "hours_per_week": "1",
                "speakers": "1",
            },
            "activity",
        ),
        (
            "ImpLineForm",
            {"mission": "", "fraction": "1", "beneficiary": "Dupont\r\nX"},
            "beneficiary",
        ),
        ("EuroLineForm", {"nature": "outils", "label": "Livres\x07", "amount": "3"}, "label"),
    ],
)
def test_control_character_in_an_estimate_line_is_refused(form_class, data, field):
    from funding import forms

    form = getattr(forms, form_class)(data=data)
    assert not form.is_valid()
    assert "tenir sur une seule ligne" in " ".join(form.errors[field])


def test_control_character_in_an_imported_establishment_name_is_refused():
    from projects.directory_import import parse

    data = (
        "uai,name,type,public_private,city,postcode,department\n"
        "0931610V,Collège\tBcc: x,Collège,Public,Noisy-le-Sec,93130,093\n"
        "0770005M,Collège Jean Jaurès,Collège,Public,Brou\x0bsur-Chantereine,77177,077\n"
    ).encode()
    parsed = parse(data, {"93", "77"})
    assert parsed.rows == []
    assert [line for line, _ in parsed.rejected] == [2, 3]
    assert all("tenir sur une seule ligne" in reason for _, reason in parsed.rejected)


# Finding 10: search words are bounded (SQLite refuses a LIKE pattern of 50,000 characters).
LONG_WORD = "a" * 50_000


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", reverse("reviews:sheet_list"), {"q": LONG_WORD}),
        ("get", reverse("reviews:sheet_list_export"), {"q": LONG_WORD}),
        ("get", reverse("projects:establishment_list"), {"q": LONG_WORD}),
        ("post", reverse("reviews:bulk_pdf"), {"query": f"q={LONG_WORD}"}),
    ],
    ids=["list", "export", "directory", "bulk-pdf"],
)
def test_50000_character_search_word_is_harmless(client, personas, method, url, data):
    complete_sheet(state="in_review")  # SQLite only evaluates the pattern against a row
    login(client, "dsden93@aps.test")
    response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302)


def test_search_words_are_capped_in_length_and_number():
    from aps.text import MAX_SEARCHED_WORDS, MAX_WORD_LENGTH, search_condition

    query = " ".join(["b" * 100, *(f"mot{n}" for n in range(50)), LONG_WORD])
    condition = search_condition("search_text", query)
    assert len(condition.children) == MAX_SEARCHED_WORDS
    assert condition.children[0] == ("search_text__contains", "b" * MAX_WORD_LENGTH)
    assert all(len(value) <= MAX_WORD_LENGTH + 1 for _, value in condition.children)


# Finding 11: bounded work per request.
def estimate_data(lines: int, total_forms: int | None = None) -> dict:
    data = {}
    for prefix, count in (("hse", lines), ("imp", 0), ("euro", 0)):
        data |= {
            f"{prefix}-TOTAL_FORMS": str(count if total_forms is None else total_forms),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "500",
        }
    for n in range(lines):
        data |= {
            f"hse-{n}-activity": f"Atelier {n}",
            f"hse-{n}-speaker": "titulaire",
            f"hse-{n}-hour_kind": "face",
            f"hse-{n}-weeks": "2",
            f"hse-{n}-hours_per_week": "1",
            f"hse-{n}-speakers": "1",
        }
    return data


@pytest.fixture
def draft(personas):
    return SheetFactory(establishment=Establishment.objects.get(uai="0931610V"))


def test_forged_total_forms_costs_nothing_and_saves_nothing(client, draft):
    login(client, "staff.college@aps.test")
    url = reverse("funding:estimate", kwargs={"pk": draft.pk})
    started = time.monotonic()
    response = client.post(url, estimate_data(1, total_forms=100_000_000))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert len(response.content) < 300_000
    assert elapsed < 2
    page = response.content.decode()
    assert "Atelier 0" in page  # what was typed is kept
    assert not Estimate.objects.filter(sheet=draft).exists()


def test_500_hse_lines_can_be_posted_like_the_import_takes_them(client, draft):
    login(client, "staff.college@aps.test")
    url = reverse("funding:estimate", kwargs={"pk": draft.pk})
    response = client.post(url, estimate_data(500))
    assert response.status_code == 302
    assert Estimate.objects.get(sheet=draft).hse_lines.count() == 500


def test_501_lines_are_refused_with_a_french_message(client, draft):
    login(client, "staff.college@aps.test")
    url = reverse("funding:estimate", kwargs={"pk": draft.pk})
    response = client.post(url, estimate_data(501))
    assert response.status_code == 200
    assert "au plus 500" in response.content.decode()
    assert not Estimate.objects.filter(sheet=draft).exists()


# Finding 12: no-store, French error pages, bounded action dates.
def test_signed_in_pages_and_downloads_are_never_stored(client, personas, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet = complete_sheet()
    login(client, "staff.college@aps.test")
    client.post(
        reverse("projects:attachment_add", args=[sheet.pk]),
        {"kind": "other", "file": SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    attachment = sheet.attachments.get()
    urls = [
        reverse("home"),
        sheet.get_absolute_url(),
        attachment.get_absolute_url(),
        reverse("reviews:sheet_pdf", kwargs={"pk": sheet.pk}),
        reverse("funding:estimate_download", kwargs={"pk": sheet.pk}),
        reverse("reviews:sheet_list_export"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)


def boom(request):
    raise RuntimeError("secret detail of the failure")


urlpatterns = [path("panne/", boom), *aps_urls.urlpatterns]


@pytest.mark.urls("tests.test_hostile_inputs")
def test_server_error_is_a_french_page_without_debug_information(personas):
    client = Client(raise_request_exception=False)
    client.force_login(user("staff.college@aps.test"))
    response = client.get("/panne/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Erreur du serveur" in page and "fr-header" in page
    assert "secret detail" not in page and "Traceback" not in page
    assert "no-store" in response.get("Cache-Control", "")


def test_bad_request_is_a_french_page(client, personas):
    response = client.get(reverse("login"), HTTP_HOST="intrus.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Requête invalide" in page and "fr-header" in page
    assert "Bad Request" not in page


def test_too_many_fields_is_a_french_page(client, draft):
    login(client, "staff.college@aps.test")
    data = {f"champ-{n}": "x" for n in range(20_000)}
    response = client.post(reverse("funding:estimate", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("start_date", "0001-01-01"), ("end_date", "9999-12-31"), ("start_date", "1999-09-01")],
)
def test_action_dates_far_from_the_campaign_are_refused_and_kept(client, personas, field, value):
    login(client, "staff.college@aps.test")
    before = ProjectSheet.objects.count()
    response = client.post(CREATE, {"title": "Atelier", field: value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "doit être comprise entre le" in page
    assert f'value="{value}"' in page
    assert ProjectSheet.objects.count() == before


@pytest.mark.parametrize(
    ("admin_page", "field"),
    [
        ("projects_establishment", "name"),
        ("projects_establishment", "city"),
        ("projects_foqualenetwork", "name"),
        ("aps_user", "full_name"),
    ],
)
def test_line_breaks_are_refused_in_the_admin_too(personas, admin_page, field):
    """Single-line fields validate on the model: every model form, the admin's included."""
    from django.forms.models import modelform_factory

    from projects.models import FoqualeNetwork

    model = {
        "projects_establishment": Establishment,
        "projects_foqualenetwork": FoqualeNetwork,
        "aps_user": User,
    }[admin_page]
    instance = model.objects.order_by("pk").first()
    form = modelform_factory(model, fields=[field])(
        {field: "Ligne\r\nBcc: intrus@exemple.fr"}, instance=instance
    )
    assert not form.is_valid()
    assert "tenir sur une seule ligne" in " ".join(form.errors[field])
