"""Uploaded files and bulk exports on an S3-compatible object store (moto's server, started
by tests/storage/conftest.py): stored as private objects, read back only through the views
that check access, removed with their rows once the deletion is committed."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from projects.models import Attachment, ProjectSheet
from reviews.models import BulkExport, MessageAttachment
from reviews.workflow.services import advise
from tests.factories import SheetFactory

from .conftest import settings_read_from

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def draft(personas):
    return SheetFactory(establishment=personas.college, title="Atelier théâtre")


@pytest.fixture
def filed(personas):
    return SheetFactory(establishment=personas.college, in_review=True, title="Tutorat")


def upload(client, sheet, name="devis.pdf", content=PDF):
    return client.post(
        reverse("projects:attachment_add", args=[sheet.pk]),
        {"kind": "quote", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def attach(sheet, content, *, by, name="devis.pdf"):
    """An attachment of a filed sheet (whose page takes no more files), stored as the service
    stores one."""
    attachment = Attachment(
        sheet=sheet,
        kind="quote",
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        uploaded_by=by,
    )
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


def local_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


# --- Settings ----------------------------------------------------------------------------


def test_files_stay_on_the_local_disk_unless_a_bucket_is_named(s3_environment):
    unset = dict.fromkeys(s3_environment, "")
    local = settings_read_from(unset)["STORAGES"]["default"]
    assert local == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    remote = settings_read_from(s3_environment)["STORAGES"]["default"]
    assert remote["BACKEND"] == "storages.backends.s3.S3Storage"
    options = remote["OPTIONS"]
    assert options["bucket_name"] == "aps-tests"
    assert options["endpoint_url"] == s3_environment["AWS_S3_ENDPOINT_URL"]
    assert (options["default_acl"], options["file_overwrite"]) == (None, False)
    private = settings_read_from({**s3_environment, "AWS_DEFAULT_ACL": "private"})
    assert private["STORAGES"]["default"]["OPTIONS"]["default_acl"] == "private"


# --- Sheet attachments -------------------------------------------------------------------


def test_an_uploaded_attachment_is_a_private_object_of_the_bucket(
    client, personas, draft, object_storage, media_root
):
    client.force_login(personas.college_staff)
    response = upload(client, draft, "Devis théâtre.pdf")
    assert "« Devis théâtre.pdf » est joint à la fiche." in response.content.decode()
    attachment = Attachment.objects.get(sheet=draft)
    assert object_storage.object_keys() == [attachment.file.name]
    assert object_storage.read(attachment.file.name) == PDF
    grants = object_storage.client.get_object_acl(
        Bucket=object_storage.name, Key=attachment.file.name
    )["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"  # the owner alone, no public grant
    assert local_files(media_root) == []


def test_an_attachment_is_downloaded_from_the_bucket_inside_the_scope_only(
    client, personas, draft, object_storage
):
    client.force_login(personas.college_staff)
    upload(client, draft, "Devis théâtre.pdf")
    url = Attachment.objects.get().get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "Devis%20th%C3%A9%C3%A2tre.pdf" in response["Content-Disposition"]
    for outsider in (personas.lycee_staff, personas.outsider_head):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_a_removed_attachment_leaves_the_bucket(
    client, personas, draft, object_storage, django_capture_on_commit_callbacks
):
    client.force_login(personas.college_staff)
    upload(client, draft, "devis.pdf")
    upload(client, draft, "bilan.pdf")
    removed, kept = Attachment.objects.order_by("original_name")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:attachment_delete", args=[draft.pk, removed.pk]))
    assert object_storage.object_keys() == [kept.file.name]


def test_a_deleted_draft_takes_its_objects_with_it(
    client, personas, draft, object_storage, django_capture_on_commit_callbacks
):
    client.force_login(personas.college_staff)
    upload(client, draft, "devis.pdf")
    upload(client, draft, "convention.pdf")
    other = SheetFactory(establishment=personas.college)
    upload(client, other, "autre.pdf")
    assert len(object_storage.object_keys()) == 3
    client.force_login(personas.college_head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("projects:sheet_delete", args=[draft.pk]), follow=True)
    assert "Le brouillon « Atelier théâtre » a été supprimé." in response.content.decode()
    assert object_storage.object_keys() == [Attachment.objects.get(sheet=other).file.name]


def test_a_deletion_rolled_back_keeps_the_objects(
    client, personas, draft, object_storage, django_capture_on_commit_callbacks
):
    client.force_login(personas.college_staff)
    upload(client, draft, "devis.pdf")
    stored = object_storage.object_keys()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ProjectSheet.objects.get(pk=draft.pk).delete()
        raise RuntimeError("the request fails after the deletion")
    assert callbacks == []
    assert ProjectSheet.objects.filter(pk=draft.pk).exists()
    assert object_storage.object_keys() == stored


def test_a_deleted_draft_takes_its_messages_files_too(
    client, personas, draft, object_storage, django_capture_on_commit_callbacks
):
    """The MLDS advises drafts, and the establishment answers with files: the sheet's
    deletion cascades to them."""
    advice = advise(sheet=draft, by=personas.mlds, text="Associez le CIO.")
    client.force_login(personas.college_head)
    upload(client, draft, "devis.pdf")
    client.post(
        reverse("reviews:message_post", args=[draft.pk]),
        {
            "text": "Le CIO vient, voici son accord.",
            "in_reply_to": advice.pk,
            "files": [SimpleUploadedFile("accord.pdf", PDF)],
        },
    )
    assert MessageAttachment.objects.filter(message__sheet=draft).count() == 1
    assert [key.split("/")[0] for key in object_storage.object_keys()] == [
        "attachments",
        "messages",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:sheet_delete", args=[draft.pk]))
    assert not ProjectSheet.objects.filter(pk=draft.pk).exists()
    assert object_storage.object_keys() == []


def test_the_zip_of_a_lists_attachments_reads_them_from_the_bucket(
    client, personas, filed, object_storage
):
    attach(filed, PDF, by=personas.college_head, name="devis.pdf")
    lost = attach(filed, b"%PDF perdu", by=personas.college_head, name="perdu.pdf")
    object_storage.client.delete_object(Bucket=object_storage.name, Key=lost.file.name)
    client.force_login(personas.dsden93)
    response = client.get(reverse("reviews:sheet_list_attachments"), {"status": "in_review"})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.read(f"0931610V_{filed.pk}_devis.pdf") == PDF
        missing = archive.read("fichiers-manquants.txt").decode()
    assert f"0931610V_{filed.pk}_perdu.pdf" in missing


# --- Messages' files ---------------------------------------------------------------------


def test_a_messages_file_is_stored_in_the_bucket_and_downloaded_inside_the_scope(
    client, personas, filed, object_storage
):
    client.force_login(personas.dsden93)
    client.post(
        reverse("reviews:message_post", args=[filed.pk]),
        {"text": "La grille jointe.", "files": [SimpleUploadedFile("grille.pdf", PDF)]},
    )
    attachment = MessageAttachment.objects.get(message__sheet=filed)
    assert object_storage.object_keys() == [attachment.file.name]
    assert attachment.file.name.startswith("messages/")
    url = reverse("reviews:message_attachment", args=[filed.pk, attachment.pk])
    client.force_login(personas.college_head)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="grille.pdf"' in response["Content-Disposition"]
    for outsider in (personas.outsider_head, personas.dsden94):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


# --- Bulk exports ------------------------------------------------------------------------


def test_a_bulk_export_is_written_to_the_bucket_and_downloaded_by_its_requester(
    client, personas, filed, object_storage, django_capture_on_commit_callbacks
):
    client.force_login(personas.dsden93)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:bulk_pdf"), {"query": "status=in_review"})
    export = BulkExport.objects.get(requested_by=personas.dsden93)
    assert export.state == BulkExport.State.READY
    assert object_storage.object_keys() == [export.file.name]
    url = reverse("reviews:bulk_export_download", kwargs={"pk": export.pk})
    data = b"".join(client.get(url).streaming_content)
    assert data.startswith(b"%PDF") and data == object_storage.read(export.file.name)
    client.force_login(personas.dsden77)
    assert client.get(url).status_code == 404
