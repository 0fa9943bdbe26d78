import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from aps.models import User
from funding.models import Estimate
from funding.services import rates_for
from funding.workbook import build_workbook
from projects.models import Attachment, Establishment
from tests.factories import SheetFactory, add_estimate

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def sheet(personas):
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"))
    quote = Attachment.objects.create(
        sheet=sheet,
        kind="quote",
        original_name="devis-theatre.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=sheet.created_by,
        file="attachments/x.pdf",
    )
    add_estimate(
        sheet,
        hse=[
            {
                "activity": "Ateliers",
                "speaker": "titulaire",
                "hour_kind": "face",
                "weeks": 24,
                "hours_per_week": D("4"),
                "speakers": 2,
            },
            {
                "activity": "Suivi",
                "speaker": "exterieur",
                "hour_kind": "peripherique",
                "weeks": 3,
                "hours_per_week": D("1"),
                "speakers": 1,
            },
        ],
        imp=[
            {"mission": "coordination", "fraction": D("0.5"), "beneficiary": "Mme Benhamou"},
            {"mission": "tutorat", "fraction": D("0.25"), "beneficiary": "M. Garnier"},
        ],
        euro=[
            {"nature": "prestataire", "label": "Théâtre", "amount": D("1800.00"), "quote": quote}
        ],
    )
    return sheet


@pytest.fixture
def staff(client, personas):
    client.force_login(User.objects.get(email="staff.college@aps.test"))
    return client


def lines_of(estimate):
    return (
        [
            (
                line.activity,
                line.speaker,
                line.hour_kind,
                line.weeks,
                line.hours_per_week,
                line.speakers,
            )
            for line in estimate.hse_lines.all()
        ],
        [(line.mission, line.fraction, line.beneficiary) for line in estimate.imp_lines.all()],
        [
            (line.nature, line.label, line.amount, line.quote_id)
            for line in estimate.euro_lines.all()
        ],
    )


def totals_of(estimate):
    return (
        estimate.total_hours,
        estimate.total_hse,
        estimate.hse_euros,
        estimate.total_imp,
        estimate.imp_euros,
        estimate.total_euros,
    )


def download(client, sheet) -> bytes:
    response = client.get(reverse("funding:estimate_download", args=[sheet.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def import_workbook(client, sheet, content, name="estimation.xlsx"):
    return client.post(
        reverse("funding:estimate_import", args=[sheet.pk]),
        {"workbook": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_export_has_formulas_for_each_line_and_the_totals(staff, sheet):
    workbook = load_workbook(io.BytesIO(download(staff, sheet)))
    hse = workbook["HSE"]
    assert [c.value for c in hse[1]][:6] == [
        "Activité",
        "Intervenant",
        "Type d'heure",
        "Semaines",
        "Heures par semaine",
        "Intervenants",
    ]
    assert hse["A2"].value == "Ateliers" and hse["B2"].value == "Enseignant titulaire"
    assert hse["G2"].value == '=IF(D2="","",ROUND(D2*E2*F2,2))'
    assert "Paramètres!$B$1" in hse["H2"].value and "Paramètres!$B$2" in hse["H2"].value
    assert workbook["IMP"]["D2"].value == '=IF(B2="","",ROUND(B2*Paramètres!$B$4,2))'
    assert workbook["Euros"]["D2"].value == "devis-theatre.pdf"
    summary = workbook["Synthèse"]
    assert summary["A4"].value == "HSE demandées" and summary["B4"].value.startswith(
        "=SUM(HSE!H2:H"
    )
    assert workbook["Paramètres"]["B4"].value == 1250


def test_round_trip_gives_back_the_same_lines_and_totals(staff, sheet):
    before = Estimate.objects.get(sheet=sheet)
    lines_before, totals_before = lines_of(before), totals_of(before)
    content = download(staff, sheet)
    Estimate.objects.filter(sheet=sheet).delete()

    response = import_workbook(staff, sheet, content)

    assert "importé : l&#x27;estimation est remplacée" in response.content.decode()
    after = Estimate.objects.get(sheet=sheet)
    assert lines_of(after) == lines_before
    assert totals_of(after) == totals_before
    assert totals_of(after) == (
        D("195.00"),
        D("193.50"),
        D("7740.00"),
        D("0.75"),
        D("937.50"),
        D("1800.00"),
    )


def test_blank_template_is_offered_to_everyone_signed_in(client, personas):
    client.force_login(User.objects.get(email="dsden94@aps.test"))
    response = client.get(reverse("funding:estimate_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Synthèse", "Paramètres", "HSE", "IMP", "Euros"]
    assert workbook["HSE"]["A2"].value is None and workbook["HSE"]["G2"].value.startswith("=IF(")


def edited(content: bytes, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(client, sheet, content, *expected, name="estimation.xlsx"):
    before = lines_of(Estimate.objects.get(sheet=sheet))
    response = import_workbook(client, sheet, content, name=name)
    page = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert response.status_code == 400, page[:500]
    assert "L'estimation de la fiche n'a pas changé" in page
    for text in expected:
        assert text in page
    assert lines_of(Estimate.objects.get(sheet=sheet)) == before


def test_every_bad_cell_is_listed_by_sheet_row_and_column(staff, sheet):
    def spoil(workbook):
        workbook["HSE"]["D2"] = "beaucoup"
        workbook["HSE"]["C3"] = "Heure de nuit"
        workbook["IMP"]["B2"] = 0.3
        workbook["IMP"]["C3"] = None
        workbook["Euros"]["C2"] = -5
        workbook["Euros"]["D2"] = "inconnu.pdf"

    refused(
        staff,
        sheet,
        edited(download(staff, sheet), spoil),
        "Onglet « HSE », ligne 2, colonne D (Semaines) : nombre attendu.",
        "Onglet « HSE », ligne 3, colonne C (Type d'heure) : valeur « Heure de nuit » inconnue.",
        "Onglet « IMP », ligne 2, colonne B (Part d'IMP) : part d'IMP autorisée : 0,25 ; 0,5 ; 1 ; 2 ; 3.",
        "Onglet « IMP », ligne 3, colonne C (Bénéficiaire) : valeur obligatoire.",
        "Onglet « Euros », ligne 2, colonne C (Montant (€)) : "
        "nombre entre 0,01 et 1\xa0000\xa0000 attendu.",
        "Onglet « Euros », ligne 2, colonne D (Devis (nom du fichier joint)) : aucun devis « inconnu.pdf » n'est joint à la fiche.",
    )


def test_not_an_xlsx_is_refused(staff, sheet):
    refused(
        staff,
        sheet,
        b"uai;nom\n0931610V;Prevert\n",
        "n'est pas un classeur Excel (.xlsx)",
        name="x.xlsx",
    )


def test_password_protected_workbook_is_refused(staff, sheet):
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 100
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 100
    )
    refused(staff, sheet, ole, "protégé par un mot de passe")


def test_formula_cell_without_computed_value_is_refused(staff, sheet):
    content = edited(download(staff, sheet), lambda wb: wb["HSE"].__setitem__("D2", "=10+14"))
    refused(staff, sheet, content, "ligne 2, colonne D (Semaines) : formule sans valeur calculée")


def test_more_than_500_lines_is_refused(staff, sheet):
    def fill(workbook):
        for row in range(2, 503):
            workbook["IMP"].cell(row=row, column=1, value="Tutorat")
            workbook["IMP"].cell(row=row, column=2, value=0.25)
            workbook["IMP"].cell(row=row, column=3, value=f"Personne {row}")

    refused(staff, sheet, edited(download(staff, sheet), fill), "plus de 500 lignes")


def test_zip_bomb_is_refused_before_decompression(staff, sheet):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (21 * 1024 * 1024))
    refused(staff, sheet, buffer.getvalue(), "dépasse 20 Mo")


def test_damaged_workbook_is_refused(staff, sheet):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<pas du xml")
    refused(staff, sheet, buffer.getvalue(), "illisible ou endommagé")


def test_missing_sheet_is_named(staff, sheet):
    content = edited(download(staff, sheet), lambda wb: wb.remove(wb["IMP"]))
    refused(staff, sheet, content, "Onglet « IMP » absent du classeur.")


def test_import_refused_on_a_submitted_sheet(staff, personas):
    submitted = SheetFactory(
        submitted=True, establishment=Establishment.objects.get(uai="0931610V")
    )
    content = build_workbook(rates=rates_for(submitted.campaign))
    response = staff.post(
        reverse("funding:estimate_import", args=[submitted.pk]),
        {"workbook": SimpleUploadedFile("e.xlsx", content)},
    )
    assert response.status_code == 403


def test_text_starting_with_equals_is_exported_as_text_and_comes_back(staff, sheet):
    estimate = Estimate.objects.get(sheet=sheet)
    estimate.hse_lines.filter(position=1).update(activity='=HYPERLINK("http://evil","clic")')
    estimate.imp_lines.filter(position=1).update(beneficiary="=1+1")
    content = download(staff, sheet)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook["HSE"]["A2"].data_type == "s"
    assert workbook["IMP"]["C2"].data_type == "s"

    response = import_workbook(staff, sheet, content)

    assert response.status_code == 200
    after = Estimate.objects.get(sheet=sheet)
    assert after.hse_lines.get(position=1).activity == '=HYPERLINK("http://evil","clic")'
    assert after.imp_lines.get(position=1).beneficiary == "=1+1"


def rewrite_entries(content: bytes, change) -> bytes:
    """Rewrite some parts of an xlsx archive: change(name, data) returns the new data."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return target.getvalue()


def test_a_lying_dimension_does_not_hide_lines(staff, sheet):
    import re

    before = lines_of(Estimate.objects.get(sheet=sheet))
    content = rewrite_entries(
        download(staff, sheet),
        lambda name, data: (
            re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1"', data)
            if name.startswith("xl/worksheets/")
            else data
        ),
    )
    import_workbook(staff, sheet, content)
    assert lines_of(Estimate.objects.get(sheet=sheet)) == before


def test_an_oversized_part_is_refused(staff, sheet):
    content = rewrite_entries(
        download(staff, sheet),
        lambda name, data: (
            data + b"<!--" + b" " * (3 * 1024 * 1024) + b"-->" if name == "xl/styles.xml" else data
        ),
    )
    refused(staff, sheet, content, "partie anormalement volumineuse")


def test_control_characters_do_not_break_the_download(staff, sheet):
    Estimate.objects.get(sheet=sheet).hse_lines.filter(position=1).update(activity="A\x1fB")
    workbook = load_workbook(io.BytesIO(download(staff, sheet)))
    assert workbook["HSE"]["A2"].value == "AB"


def test_download_without_estimate_writes_nothing(client, personas):
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"))
    client.force_login(User.objects.get(email="mlds@aps.test"))
    response = client.get(reverse("funding:estimate_download", args=[sheet.pk]))
    assert response.status_code == 200
    assert not Estimate.objects.filter(sheet=sheet).exists()


def test_summary_is_titled_with_the_sheet(staff, sheet):
    workbook = load_workbook(io.BytesIO(download(staff, sheet)))
    assert workbook["Synthèse"]["A1"].value == f"Estimation du coût de l'action — {sheet.title}"
    assert workbook["Paramètres"]["E3"].value == "Périphérique (coordination, suivi, tutorat)"


def test_a_workbook_over_10_mb_is_refused(staff, sheet):
    refused(staff, sheet, b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024 + 1), "dépasse 10 Mo")


def with_entries(archive: bytes, extra: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, content in extra.items():
            target.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (
            {
                "xl/externalLinks/externalLink1.xml": "<externalLink/>",
                "xl/externalLinks/_rels/externalLink1.xml.rels": (
                    '<Relationships><Relationship Id="rId1" TargetMode="External" '
                    'Target="file:///\\\\serveur\\partage\\piege.xlsx"/></Relationships>'
                ),
            },
            "il contient un lien vers un fichier externe",
        ),
        ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, "il contient des macros"),
        ({"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}, "objet incorporé"),
        ({"payload.html": "<script>x</script>"}, "éléments étrangers à ce format"),
    ],
    ids=["external-link", "vba", "ole-object", "html-entry"],
)
def test_hostile_workbook_is_refused_like_an_attachment(staff, sheet, extra, reason):
    refused(staff, sheet, with_entries(download(staff, sheet), extra), reason)


def test_oversize_upload_is_refused_before_it_is_read(staff, sheet, monkeypatch):
    """The 10 MB limit is checked on the size of the file Django streamed to disk, before a
    byte of it is read into memory."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    def never(self):
        raise AssertionError("the upload was read before its size was checked")

    monkeypatch.setattr(TemporaryUploadedFile, "read", property(never))
    refused(staff, sheet, b"PK\x03\x04" + b"\x00" * (11 * 1024 * 1024), "dépasse 10 Mo")


def test_numbers_typed_as_french_text_in_cells_are_read(staff, sheet):
    def french_text(workbook):
        workbook["HSE"]["E2"] = "1,5 h"
        workbook["Euros"]["C2"] = "1\u202f200,50 €"

    content = edited(download(staff, sheet), french_text)
    response = import_workbook(staff, sheet, content)

    assert "importé : l&#x27;estimation est remplacée" in response.content.decode()
    after = Estimate.objects.get(sheet=sheet)
    assert after.hse_lines.order_by("pk").first().hours_per_week == D("1.5")
    assert after.euro_lines.order_by("pk").first().amount == D("1200.50")


def test_formulas_and_totals_cover_every_row_the_import_accepts(staff, sheet):
    """The import takes 500 lines: each of rows 2 to 501 of every sheet has its formulas and
    the Synthèse sums them all, whatever the number of lines exported."""
    workbook = load_workbook(io.BytesIO(download(staff, sheet)))
    hse, imp = workbook["HSE"], workbook["IMP"]
    for row in (2, 250, 501):
        assert hse[f"G{row}"].value == f'=IF(D{row}="","",ROUND(D{row}*E{row}*F{row},2))'
        assert hse[f"H{row}"].value.startswith(f'=IF(G{row}="",""')
        assert hse[f"I{row}"].value.startswith(f'=IF(H{row}="",""')
        assert imp[f"D{row}"].value.startswith(f'=IF(B{row}="",""')
    assert hse["G502"].value is None
    summary = [
        row[1] for row in workbook["Synthèse"].iter_rows(min_row=3, max_row=8, values_only=True)
    ]
    assert summary == [
        "=SUM(HSE!G2:G501)",
        "=SUM(HSE!H2:H501)",
        "=SUM(HSE!I2:I501)",
        "=SUM(IMP!B2:B501)",
        "=SUM(IMP!D2:D501)",
        "=SUM(Euros!C2:C501)",
    ]


def test_a_line_below_the_last_row_with_formulas_is_refused(staff, sheet):
    def below(workbook):
        workbook["Euros"]["A502"] = "Outils pédagogiques"
        workbook["Euros"]["B502"] = "Livres"
        workbook["Euros"]["C502"] = 120

    refused(
        staff,
        sheet,
        edited(download(staff, sheet), below),
        "Onglet « Euros », ligne 502 : les lignes s'arrêtent à la ligne 501",
    )
