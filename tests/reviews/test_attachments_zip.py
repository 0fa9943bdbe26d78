"""Every attachment of a filtered list in one ZIP: scoped and filtered like the list, entries
named ``<UAI>_<sheet>_<file>`` (safe and unique), streamed, refused when too large and for the
MLDS."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.http import StreamingHttpResponse
from django.urls import reverse

from projects.models import Attachment, Establishment, ProjectSheet
from reviews.documents import attachments_zip
from tests.factories import EstablishmentFactory, department
from tests.reviews.test_sheet_list import many_sheets

pytestmark = pytest.mark.django_db
ZIP = reverse("reviews:sheet_list_attachments")
LIST = reverse("reviews:sheet_list")


def attach(sheet, name, content: bytes, *, by):
    attachment = Attachment(
        sheet=sheet,
        kind="other",
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        uploaded_by=by,
    )
    attachment.file.save("piece.pdf", ContentFile(content), save=True)
    return attachment


@pytest.fixture
def files(personas, settings, tmp_path):
    """Attachments of the collège (two of the same name, one with a hostile name, one on a
    draft), of the lycée, of the network's own sheet and of a sheet of the 94."""
    settings.MEDIA_ROOT = tmp_path
    by = personas.dsden93
    college = Establishment.objects.get(uai="0931610V")
    lycee = Establishment.objects.get(uai="0930123D")
    theatre, draft = (
        many_sheets(1, establishment=college, by=by, title="Théâtre", euros=Decimal(10))[0],
        many_sheets(1, establishment=college, by=by, title="Brouillon", status="draft")[0],
    )
    tutorat = many_sheets(1, establishment=lycee, by=by, title="Tutorat", status="submitted")[0]
    network_sheet = many_sheets(1, establishment=lycee, by=by, title="Réseau")[0]
    ProjectSheet.objects.filter(pk=network_sheet.pk).update(
        establishment=None, network=personas.network
    )
    other = EstablishmentFactory(department=department("94"), uai="0940001A")
    ivry = many_sheets(1, establishment=other, by=by, title="Ivry")[0]
    attach(theatre, "devis.pdf", b"%PDF devis 1", by=by)
    attach(theatre, "Devis.pdf", b"%PDF devis 2", by=by)
    attach(theatre, "../../etc/pass\\wd:1.pdf", b"%PDF hostile", by=by)
    attach(draft, "brouillon.pdf", b"%PDF brouillon", by=by)
    attach(tutorat, "bilan 2023.pdf", b"%PDF bilan", by=by)
    attach(network_sheet, "charte.pdf", b"%PDF charte", by=by)
    attach(ivry, "ivry.pdf", b"%PDF ivry", by=by)
    return {
        "theatre": theatre.pk,
        "draft": draft.pk,
        "tutorat": tutorat.pk,
        "network": personas.network.pk,
        "network_sheet": network_sheet.pk,
        "ivry": ivry.pk,
    }


def archive(client, params="") -> dict[str, bytes]:
    response = client.get(f"{ZIP}?{params}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)  # written while it is sent
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="pieces-jointes-')
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        assert zipped.testzip() is None
        return {name: zipped.read(name) for name in zipped.namelist()}


def test_the_dsden_gets_every_attachment_of_its_list_named_after_uai_and_sheet(
    client, personas, files
):
    client.force_login(personas.dsden93)
    theatre, tutorat, net = files["theatre"], files["tutorat"], files["network_sheet"]
    assert archive(client) == {
        f"0931610V_{theatre}_devis.pdf": b"%PDF devis 1",
        f"0931610V_{theatre}_Devis-2.pdf": b"%PDF devis 2",  # unique, whatever the case
        f"0931610V_{theatre}_.._.._etc_pass_wd_1.pdf": b"%PDF hostile",  # no folder
        f"0930123D_{tutorat}_bilan 2023.pdf": b"%PDF bilan",
        f"reseau-{files['network']}_{net}_charte.pdf": b"%PDF charte",
    }  # neither the collège's draft nor the 94's sheet


def test_the_archive_follows_the_lists_filters(client, personas, files):
    client.force_login(personas.dsden93)
    assert list(archive(client, "status=submitted")) == [
        f"0930123D_{files['tutorat']}_bilan 2023.pdf"
    ]
    assert len(archive(client, "q=Théâtre")) == 3


def test_an_establishments_staff_gets_its_own_attachments_drafts_included(client, personas, files):
    client.force_login(personas.college_staff)
    names = archive(client)
    assert f"0931610V_{files['draft']}_brouillon.pdf" in names
    assert {name.split("_")[0] for name in names} == {"0931610V"}
    assert len(names) == 4


def test_another_departments_dsden_gets_none_of_ours(client, personas, files):
    client.force_login(personas.dsden94)
    assert archive(client) == {f"0940001A_{files['ivry']}_ivry.pdf": b"%PDF ivry"}
    client.force_login(personas.dsden77)
    assert list(archive(client)) == [attachments_zip.EMPTY_NAME]  # says there is none


def test_the_mlds_may_not_download_the_lists_attachments(client, personas, files):
    client.force_login(personas.mlds)
    assert client.get(ZIP).status_code == 403
    assert "Télécharger les pièces jointes" not in client.get(LIST).content.decode()


def test_the_button_keeps_the_lists_filters(client, personas, files):
    client.force_login(personas.dsden93)
    page = client.get(f"{LIST}?status=submitted").content.decode()
    assert f'href="{ZIP}?status=submitted">Télécharger les pièces jointes (.zip)</a>' in page


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_SHEETS", 2, "Trop de fiches pour une seule archive : 3 fiches, au plus 2."),
        ("MAX_BYTES", 40, "Les pièces jointes de ces fiches pèsent"),
    ],
)
def test_too_large_a_list_is_refused_on_the_list_with_its_filters(
    client, personas, files, monkeypatch, limit, value, message
):
    monkeypatch.setattr(attachments_zip, limit, value)
    client.force_login(personas.dsden93)
    response = client.get(f"{ZIP}?o=-euros")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?o=-euros"
    assert message in str(next(iter(get_messages(response.wsgi_request))))


def test_entry_names_are_safe_and_short():
    sheet = ProjectSheet(pk=7, establishment=Establishment(uai="0931610V"))
    attachment = Attachment(sheet=sheet, original_name="\x00.. /x" + "é" * 300 + ".pdf")
    name = attachments_zip.entry_name(attachment)
    assert name.startswith("0931610V_7_") and name.endswith(".pdf")
    assert "/" not in name and "\x00" not in name and len(name) <= attachments_zip.MAX_NAME


def test_the_archive_leaves_in_chunks_never_whole(client, personas, files, monkeypatch):
    monkeypatch.setattr(attachments_zip, "CHUNK_BYTES", 1024)
    sheet = ProjectSheet.objects.get(pk=files["tutorat"])
    content = bytes(range(256)) * 40  # 10 KB
    attach(sheet, "gros.pdf", content, by=personas.dsden93)
    client.force_login(personas.dsden93)
    response = client.get(f"{ZIP}?status=submitted")
    chunks = list(response.streaming_content)
    assert len(chunks) > 10 and max(len(chunk) for chunk in chunks) < 2048
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as zipped:
        assert zipped.read(f"0930123D_{sheet.pk}_gros.pdf") == content
