import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from aps.models import User
from projects.models import Attachment, Establishment
from tests.factories import SheetFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def huge_png_header() -> bytes:
    """A PNG that claims 100000 × 100000 pixels (Pillow refuses it as a decompression bomb)."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + b"\x00" * 64
    )


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Devis"
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})


@pytest.fixture
def sheet(personas):
    return SheetFactory(establishment=Establishment.objects.get(uai="0931610V"))


@pytest.fixture
def staff(client, personas):
    client.force_login(User.objects.get(email="staff.college@aps.test"))
    return client


def upload(client, sheet, name, content, kind="quote"):
    return client.post(
        reverse("projects:attachment_add", args=[sheet.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("devis.pdf", PDF, "application/pdf"),
        ("photo.png", png_bytes(), "image/png"),
        ("scan.JPG", jpeg_bytes(), "image/jpeg"),
        (
            "estimation.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "convention.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("bilan.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_documents_are_stored_under_a_random_name(
    staff, sheet, media_root, name, content, content_type
):
    response = upload(staff, sheet, name, content)
    assert f"« {name} » est joint à la fiche." in response.content.decode()
    attachment = Attachment.objects.get(sheet=sheet)
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert name.split(".")[0] not in attachment.file.name
    assert [p.read_bytes() for p in stored_files(media_root)] == [content]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "devis.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
            "son contenu n'est pas un document accepté",
        ),
        (
            "devis.pdf",
            b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024),
            "il pèse 11,0\xa0Mo, la limite est de 10 Mo",
        ),
        ("vide.pdf", b"", "le fichier est vide"),
        ("devis.xlsx", png_bytes(), "son contenu est une image PNG et non un classeur Excel"),
        (
            "devis.pdf",
            PDF + zip_bytes({"payload.exe": "MZ"}),
            "son contenu n'est pas un document accepté",
        ),
        ("devis.docx", zip_bytes({"a.txt": "x"}), "son contenu n'est pas un document accepté"),
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n" + b"garbage" * 10,
            "son contenu n'est pas un document accepté",
        ),
        (
            "script.sh",
            PDF,
            "son contenu est un document PDF alors que son nom se termine par « .sh »",
        ),
    ],
    ids=[
        "renamed-exe",
        "11-mb",
        "empty",
        "image-as-xlsx",
        "pdf-zip-polyglot",
        "bare-zip",
        "broken-png",
        "wrong-extension",
    ],
)
def test_refused_files_are_named_with_the_reason_and_nothing_is_stored(
    staff, sheet, media_root, name, content, reason
):
    page = upload(staff, sheet, name, content).content.decode()
    assert f"« {name} » est refusé : {reason}" in page.replace("&#x27;", "'")
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_download_gives_the_original_name_and_content(staff, sheet):
    upload(staff, sheet, "Devis théâtre.pdf", PDF)
    attachment = Attachment.objects.get()
    response = staff.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Devis%20th%C3%A9%C3%A2tre.pdf" in response["Content-Disposition"]


def test_another_establishment_cannot_download(client, staff, sheet):
    upload(staff, sheet, "devis.pdf", PDF)
    attachment = Attachment.objects.get()
    client.force_login(User.objects.get(email="staff.lycee@aps.test"))
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_removing_an_attachment_deletes_the_file(
    staff, sheet, media_root, django_capture_on_commit_callbacks
):
    upload(staff, sheet, "devis.pdf", PDF)
    attachment = Attachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("projects:attachment_delete", args=[sheet.pk, attachment.pk]))
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_attachments_of_a_submitted_sheet_are_frozen(staff, personas, media_root):
    submitted = SheetFactory(
        submitted=True, establishment=Establishment.objects.get(uai="0931610V")
    )
    response = staff.post(
        reverse("projects:attachment_add", args=[submitted.pk]),
        {"kind": "quote", "file": SimpleUploadedFile("devis.pdf", PDF)},
    )
    assert response.status_code == 403
    assert stored_files(media_root) == []


def with_entries(archive: bytes, extra: dict) -> bytes:
    """A copy of ``archive`` with ``extra`` entries added (a hostile file built on a real one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, content in extra.items():
            target.writestr(name, content)
    return buffer.getvalue()


def odt_with_content(fragment: str) -> bytes:
    """The test ODT with ``fragment`` added to its content.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ODT)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "content.xml":
                data = data.replace(b"</office:text>", fragment.encode() + b"</office:text>")
                if fragment.encode() not in data:
                    data += fragment.encode()
            target.writestr(item, data)
    return buffer.getvalue()


EXTERNAL_LINK = (
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<externalBook r:id="rId1"/></externalLink>'
)
EXTERNAL_LINK_RELS = (
    '<Relationships><Relationship Id="rId1" TargetMode="External" '
    'Target="file:///\\\\serveur\\partage\\piege.xlsx"/></Relationships>'
)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "bilan.odt",
            with_entries(ODT, {"Basic/Standard/Module1.xml": "<script:module/>"}),
            "il contient des macros",
        ),
        (
            "bilan.odt",
            with_entries(ODT, {"Scripts/python/piege.py": "import os"}),
            "il contient des macros",
        ),
        (
            "devis.xlsx",
            with_entries(
                xlsx_bytes(),
                {
                    "xl/externalLinks/externalLink1.xml": EXTERNAL_LINK,
                    "xl/externalLinks/_rels/externalLink1.xml.rels": EXTERNAL_LINK_RELS,
                },
            ),
            "il contient un lien vers un fichier externe",
        ),
        (
            "devis.xlsx",
            with_entries(
                xlsx_bytes(),
                {
                    "xl/drawings/_rels/drawing1.xml.rels": '<Relationships><Relationship Id="rId1" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                    'Target="file:///\\\\attaquant\\partage\\a.png" TargetMode="External"/>'
                    "</Relationships>"
                },
            ),
            "il contient un lien vers un fichier externe",
        ),
        (
            "convention.docx",
            with_entries(
                DOCX,
                {
                    "word/_rels/settings.xml.rels": '<Relationships><Relationship Id="rId1" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                    'attachedTemplate" Target="http://exemple.fr/modele.dotm" '
                    'TargetMode="External"/></Relationships>'
                },
            ),
            "il contient un lien vers un fichier externe",
        ),
        (
            "bilan.odt",
            odt_with_content('<text:a xlink:href="file:///\\\\attaquant\\partage">lien</text:a>'),
            "il contient un lien vers un fichier externe",
        ),
        (
            "devis.xlsx",
            with_entries(xlsx_bytes(), {"payload.html": "<script>x</script>", "run.hta": "x"}),
            "il contient des éléments étrangers à ce format (« payload.html »)",
        ),
        (
            "convention.docx",
            with_entries(DOCX, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
            "il contient des macros",
        ),
        (
            "devis.xlsx",
            with_entries(xlsx_bytes(), {"xl/activeX/activeX1.xml": "<ax:ocx/>"}),
            "il contient un objet incorporé ou un contrôle ActiveX",
        ),
        (
            "convention.docx",
            with_entries(DOCX, {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
            "il contient un objet incorporé ou un contrôle ActiveX",
        ),
        (
            "bilan.odt",
            with_entries(ODT, {"../../evil.sh": "rm -rf /"}),
            "il contient des éléments étrangers à ce format",
        ),
    ],
    ids=[
        "odt-starbasic",
        "odt-scripts",
        "xlsx-external-link",
        "xlsx-image-on-unc-path",
        "docx-remote-template",
        "odt-link-to-a-file",
        "zip-as-xlsx-with-html-hta",
        "docx-vba",
        "xlsx-activex",
        "docx-ole-object",
        "odt-path-traversal",
    ],
)
def test_hostile_archives_are_refused_with_the_reason(
    staff, sheet, media_root, name, content, reason
):
    page = upload(staff, sheet, name, content).content.decode()
    assert f"« {name} » est refusé : {reason}" in page.replace("&#x27;", "'")
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "extra",
    [
        {"xl/printerSettings/printerSettings1.bin": b"\x00\x01printer"},
        {"xl/media/image1.webp": b"RIFF0000WEBPVP8 "},
        {
            "xl/drawings/_rels/drawing1.xml.rels": '<Relationships><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
            'Target="https://eduscol.education.fr/" TargetMode="External"/></Relationships>'
        },
    ],
    ids=["printer-settings", "webp-image", "hyperlink"],
)
def test_parts_office_writes_itself_are_accepted(staff, sheet, media_root, extra):
    response = upload(staff, sheet, "devis.xlsx", with_entries(xlsx_bytes(), extra))
    assert "est joint à la fiche" in response.content.decode()
    assert len(stored_files(media_root)) == 1


def test_a_chart_embedding_its_workbook_is_accepted_but_not_a_hostile_one(staff, sheet, media_root):
    chart = {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx_bytes()}
    response = upload(staff, sheet, "convention.docx", with_entries(DOCX, chart))
    assert "est joint à la fiche" in response.content.decode()
    hostile = with_entries(xlsx_bytes(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    response = upload(
        staff,
        sheet,
        "convention.docx",
        with_entries(DOCX, {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": hostile}),
    )
    assert "il contient un objet incorporé" in response.content.decode()
    assert len(stored_files(media_root)) == 1


def test_refused_attachment_says_its_error_at_the_top_and_keeps_the_kind(staff, sheet, media_root):
    from tests.form_errors import assert_error_links

    response = upload(
        staff, sheet, "devis.pdf", b"MZ\x90\x00" + b"\x00" * 200, kind="previous_bilan"
    )
    assert response.status_code == 200
    alert = assert_error_links(response, "id_file")
    assert "Fichier : " in alert
    assert '<option value="previous_bilan" selected>' in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(media_root) == []
