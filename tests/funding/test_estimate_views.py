from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aps.models import User
from funding.models import Estimate
from projects.checklist import missing_items
from projects.models import Attachment, Establishment
from tests.factories import SheetFactory, add_estimate

pytestmark = pytest.mark.django_db
D = Decimal


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "500",
    }


@pytest.fixture
def college(personas):
    return Establishment.objects.get(uai="0931610V")


def login(client, email):
    client.force_login(User.objects.get(email=email))
    return client


def test_staff_builds_an_estimate_and_sees_the_totals(client, college):
    sheet = SheetFactory(establishment=college)
    login(client, "staff.college@aps.test")
    data = {
        **management("hse", 3),
        **management("imp", 2),
        **management("euro", 1),
        "hse-0-activity": "Ateliers",
        "hse-0-speaker": "titulaire",
        "hse-0-hour_kind": "face",
        "hse-0-weeks": "24",
        "hse-0-hours_per_week": "1,5",
        "hse-0-speakers": "2",
        "hse-1-activity": "Coordination",
        "hse-1-speaker": "titulaire",
        "hse-1-hour_kind": "peripherique",
        "hse-1-weeks": "10",
        "hse-1-hours_per_week": "1",
        "hse-1-speakers": "1",
        # hse-2 left empty: ignored
        "imp-0-mission": "coordination",
        "imp-0-fraction": "0.5",
        "imp-0-beneficiary": "Mme A",
        "imp-1-mission": "tutorat",
        "imp-1-fraction": "0.25",
        "imp-1-beneficiary": "M. B",
        "euro-0-nature": "outils",
        "euro-0-label": "Livres",
        "euro-0-amount": "420,50",
    }
    response = client.post(reverse("funding:estimate", args=[sheet.pk]), data, follow=True)
    page = response.content.decode()
    assert "Estimation enregistrée" in page
    estimate = Estimate.objects.get(sheet=sheet)
    assert (estimate.total_hours, estimate.total_hse) == (D("82.00"), D("77.00"))
    assert (estimate.total_imp, estimate.imp_euros, estimate.total_euros) == (
        D("0.75"),
        D("937.50"),
        D("420.50"),
    )
    assert estimate.hse_euros == D("3080.00")
    assert "3\xa0080,00\xa0€" in page  # the HSE's euro equivalent, French number format
    # The euro line has no quote yet: the sheet's checklist says so.
    labels = [item.label for item in missing_items(sheet)]
    assert "le devis de la ligne « Livres »" in labels
    assert "l'estimation du coût (au moins une ligne)" not in labels


def test_refused_estimate_keeps_what_was_typed_and_saves_nothing(client, college):
    sheet = SheetFactory(establishment=college)
    add_estimate(
        sheet,
        hse=[
            {
                "activity": "Ancien",
                "speaker": "titulaire",
                "hour_kind": "face",
                "weeks": 1,
                "hours_per_week": D("1"),
                "speakers": 1,
            }
        ],
    )
    login(client, "staff.college@aps.test")
    data = {
        **management("hse", 1),
        **management("imp", 1),
        **management("euro", 0),
        "hse-0-activity": "Nouveau",
        "hse-0-speaker": "titulaire",
        "hse-0-hour_kind": "face",
        "hse-0-weeks": "60",
        "hse-0-hours_per_week": "NaN",
        "hse-0-speakers": "1",
        "imp-0-mission": "coordination",
        "imp-0-fraction": "0.5",
        "imp-0-beneficiary": "",
    }
    response = client.post(reverse("funding:estimate", args=[sheet.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Nouveau"' in page
    assert "inférieure ou égale à 52" in page
    assert "Ce champ est obligatoire" in page
    assert [line.activity for line in Estimate.objects.get(sheet=sheet).hse_lines.all()] == [
        "Ancien"
    ]


def test_quote_links_clear_the_checklist(client, college):
    sheet = SheetFactory(establishment=college, complete=True)
    quote = Attachment.objects.create(
        sheet=sheet,
        kind="quote",
        original_name="devis.pdf",
        content_type="application/pdf",
        size=3,
        uploaded_by=sheet.created_by,
        file="attachments/d.pdf",
    )
    login(client, "staff.college@aps.test")
    data = {
        **management("hse", 1),
        **management("imp", 0),
        **management("euro", 1),
        "hse-0-activity": "Atelier",
        "hse-0-speaker": "titulaire",
        "hse-0-hour_kind": "face",
        "hse-0-weeks": "2",
        "hse-0-hours_per_week": "1",
        "hse-0-speakers": "1",
        "euro-0-nature": "prestataire",
        "euro-0-label": "Théâtre",
        "euro-0-amount": "100",
        "euro-0-quote": str(quote.pk),
    }
    client.post(reverse("funding:estimate", args=[sheet.pk]), data)
    assert missing_items(sheet) == []


def test_a_quote_of_another_sheet_cannot_be_linked(client, college):
    sheet = SheetFactory(establishment=college)
    other = SheetFactory(establishment=college)
    foreign = Attachment.objects.create(
        sheet=other,
        kind="quote",
        original_name="autre.pdf",
        content_type="application/pdf",
        size=3,
        uploaded_by=other.created_by,
        file="attachments/o.pdf",
    )
    login(client, "staff.college@aps.test")
    data = {
        **management("hse", 0),
        **management("imp", 0),
        **management("euro", 1),
        "euro-0-nature": "prestataire",
        "euro-0-label": "X",
        "euro-0-amount": "10",
        "euro-0-quote": str(foreign.pk),
    }
    response = client.post(reverse("funding:estimate", args=[sheet.pk]), data)
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Estimate.objects.filter(sheet=sheet).exists()


def test_sheet_without_estimate_lacks_it_in_the_checklist(college):
    sheet = SheetFactory(establishment=college, complete=True, estimate=False)
    assert [(i.section, i.label) for i in missing_items(sheet)] == [
        ("means", "l'estimation du coût (au moins une ligne)")
    ]


def test_detail_page_shows_means_derived_from_the_estimate(client, college):
    sheet = SheetFactory(establishment=college, submitted=True)
    add_estimate(
        sheet,
        imp=[{"mission": "coordination", "fraction": D("0.25"), "beneficiary": "Mme Benhamou"}],
    )
    login(client, "dsden93@aps.test")
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Mme Benhamou — 0,25\xa0IMP (coordination)" in page
    assert "312,50" in page


def test_estimate_page_queries_do_not_grow_with_euro_lines(client, college):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(line_count):
        sheet = SheetFactory(establishment=college)
        quote = Attachment.objects.create(
            sheet=sheet,
            kind="quote",
            original_name="q.pdf",
            content_type="application/pdf",
            size=3,
            uploaded_by=sheet.created_by,
            file="attachments/q.pdf",
        )
        add_estimate(
            sheet,
            euro=[
                {"nature": "outils", "label": f"L{n}", "amount": D("1"), "quote": quote}
                for n in range(line_count)
            ],
        )
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("funding:estimate", args=[sheet.pk])).status_code == 200
        return len(context)

    login(client, "staff.college@aps.test")
    assert queries_for(40) == queries_for(1)


def test_refused_estimate_says_its_errors_at_the_top_with_links_to_the_cells(client, college):
    from tests.form_errors import assert_error_links

    sheet = SheetFactory(establishment=college)
    login(client, "staff.college@aps.test")
    data = {
        **management("hse", 1),
        **management("imp", 0),
        **management("euro", 0),
        "hse-0-activity": "Nouveau",
        "hse-0-speaker": "titulaire",
        "hse-0-hour_kind": "face",
        "hse-0-weeks": "soixante",
        "hse-0-hours_per_week": "2",
        "hse-0-speakers": "1",
    }
    response = client.post(reverse("funding:estimate", args=[sheet.pk]), data)
    assert response.status_code == 200
    alert = assert_error_links(response, "id_hse-0-weeks")
    assert "Ligne 1 — Semaines" in alert
    assert 'value="soixante"' in response.content.decode()
    assert not Estimate.objects.filter(sheet=sheet).exists()


def test_each_line_shows_what_it_comes_to_without_javascript(client, college):
    """The per-line results are the server's too: a page read without JavaScript shows them,
    for the saved lines and for the lines of a refused save."""
    sheet = SheetFactory(establishment=college)
    add_estimate(
        sheet,
        hse=[
            {
                "activity": "Suivi",
                "speaker": "titulaire",
                "hour_kind": "peripherique",
                "weeks": 3,
                "hours_per_week": D("1.25"),
                "speakers": 1,
            }
        ],
        imp=[{"mission": "tutorat", "fraction": D("0.25"), "beneficiary": "M. Garnier"}],
    )
    login(client, "staff.college@aps.test")
    page = client.get(reverse("funding:estimate", args=[sheet.pk])).content.decode()
    assert "3,75\xa0h · 1,88\xa0HSE · ≈\xa075,20\xa0€" in page
    assert "312,50\xa0€</output>" in page

    refused = client.post(
        reverse("funding:estimate", args=[sheet.pk]),
        {
            **management("hse", 2),
            **management("imp", 0),
            **management("euro", 0),
            "hse-0-activity": "Ateliers",
            "hse-0-speaker": "titulaire",
            "hse-0-hour_kind": "face",
            "hse-0-weeks": "24",
            "hse-0-hours_per_week": "1,5",
            "hse-0-speakers": "2",
            "hse-1-activity": "Tutorat",
            "hse-1-weeks": "douze",
        },
    ).content.decode()
    assert "72\xa0h · 72\xa0HSE · ≈\xa02\xa0880,00\xa0€" in refused  # the valid line, computed
    assert "«\xa0douze\xa0» n&#x27;est pas un nombre" in refused
    assert 'value="douze"' in refused  # what was typed, kept


def test_a_refused_workbook_is_said_at_the_top_of_the_estimate_page(client, college):
    sheet = SheetFactory(establishment=college)
    login(client, "staff.college@aps.test")
    response = client.post(
        reverse("funding:estimate_import", args=[sheet.pk]),
        {"workbook": SimpleUploadedFile("estimation.xlsx", b"PK\x03\x04 pas un classeur")},
    )
    page = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert response.status_code == 400
    assert "<title>Erreur : Estimation du coût" in page
    assert "data-form-errors" in page
    assert (
        "« estimation.xlsx » n'a pas été importé. L'estimation de la fiche n'a pas changé." in page
    )
    assert '<a href="#id_workbook">Classeur d\'estimation (.xlsx) : ' in page
    assert 'id="estimate-form"' in page  # the page to try again, the estimate as it was

    nothing = client.post(reverse("funding:estimate_import", args=[sheet.pk]), {})
    assert nothing.status_code == 400
    assert "Choisissez le classeur à importer." in nothing.content.decode()
