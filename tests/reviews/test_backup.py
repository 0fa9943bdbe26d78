"""Backups and the restore check (reviews.backup, deploy/restore.sh): a backup saves the
database and every stored file with a manifest; a restore into a new database and storage is
checked against it, and a missing file or a missing row is named."""

import datetime
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from projects.models import Attachment, ProjectSheet
from projects.services import attachment_add
from reviews.documents.models import BulkExport
from reviews.workflow import messages as thread
from reviews.workflow.models import MessageAttachment, SheetEvent
from tests.factories import SheetFactory, advance

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ON_POSTGRESQL = connection.vendor == "postgresql"
needs_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="backups run pg_dump and pg_restore: PostgreSQL only (set DATABASE_URL)",
)


def pdf(name: str, extra: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


def sheet_with_files(personas):
    """A sheet under review with a quote, a message with a file, and a bulk PDF: one stored
    file of each model that has one."""
    sheet = SheetFactory(establishment=personas.college, complete=True)
    quote = attachment_add(
        sheet=sheet, by=personas.college_staff, kind="quote", uploaded=pdf("devis.pdf", b"q")
    )
    sheet = advance(sheet, "in_review")
    message = thread.post_message(
        sheet, personas.college_head, "Le courrier signé", [pdf("courrier.pdf", b"m")]
    )
    export = BulkExport.objects.create(
        requested_by=personas.dsden93, sheet_ids=[sheet.pk], state=BulkExport.State.READY
    )
    export.file.save("fiches.pdf", ContentFile(PDF + b"e"))
    return sheet, quote, message.attachments.get(), export


def run_check(manifest=None) -> str:
    out = io.StringIO()
    call_command("check_restore", *([str(manifest)] if manifest else []), stdout=out)
    return out.getvalue()


def write_backup(folder: Path, *, counts: dict, files: dict[str, bytes]) -> Path:
    """A backup folder as manage.py backup writes it (without its dump)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    manifest = {
        "format": 1,
        "created_at": "2025-01-31T02:30:00+01:00",
        "counts": counts,
        "files": {name: len(content) for name, content in files.items()},
        "missing": {},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


# --- The check, on the database in use (SQLite or PostgreSQL) --------------------------------


@pytest.mark.django_db
def test_check_counts_the_rows_and_reads_every_stored_file(personas):
    sheet_with_files(personas)

    output = run_check()

    assert "fiches projet : 1\n" in output
    assert f"historique des fiches : {SheetEvent.objects.count()}\n" in output
    assert "pièces jointes : 1\n" in output
    assert "pièces jointes des messages : 1\n" in output
    assert "exports PDF groupés : 1\n" in output
    assert "fichiers lisibles : 3 sur 3" in output


@pytest.mark.django_db
def test_check_names_a_missing_file_and_the_row_that_names_it(personas):
    _, quote, _, _ = sheet_with_files(personas)
    default_storage.delete(quote.file.name)

    with pytest.raises(CommandError) as refused:
        run_check()

    message = str(refused.value)
    assert message.startswith("Restauration incomplète (1)")
    assert f"fichier manquant ou illisible : {quote.file.name} (pièce jointe n° {quote.pk})" in (
        message
    )


@pytest.mark.django_db
def test_check_compares_counts_and_sizes_with_the_manifest(personas, tmp_path):
    _, quote, attached, export = sheet_with_files(personas)
    counts = {"projects.projectsheet": 2, "reviews.sheetevent": SheetEvent.objects.count()}
    files = {
        quote.file.name: quote.file.read(),
        attached.file.name: b"a longer content than the restored one",
        export.file.name: export.file.read(),
    }
    folder = write_backup(tmp_path / "sauvegarde", counts=counts, files=files)

    with pytest.raises(CommandError) as refused:
        run_check(folder)

    problems = str(refused.value).splitlines()[1:]
    assert problems == [
        "- fiches projet : 2 dans la sauvegarde, 1 dans la base restaurée",
        f"- fichier de taille différente : {attached.file.name} (pièce jointe d'un message "
        f"n° {attached.pk}) — {attached.size} octets, 38 dans la sauvegarde",
    ]


@pytest.mark.django_db
def test_check_passes_when_the_manifest_matches(personas, tmp_path):
    _, quote, attached, export = sheet_with_files(personas)
    counts = {
        "projects.projectsheet": 1,
        "projects.attachment": 1,
        "reviews.messageattachment": 1,
        "reviews.sheetevent": SheetEvent.objects.count(),
    }
    files = {f.file.name: f.file.read() for f in (quote, attached, export)}
    folder = write_backup(tmp_path / "sauvegarde", counts=counts, files=files)

    assert "Restauration conforme à la sauvegarde du 2025-01-31T02:30:00+01:00." in run_check(
        folder / "manifest.json"
    )


@pytest.mark.django_db
def test_restore_files_puts_each_file_back_under_its_own_name(tmp_path, media_root):
    files = {"attachments/0f1e.pdf": PDF + b"1", "messages/9a8b.pdf": PDF + b"2"}
    folder = write_backup(tmp_path / "sauvegarde", counts={}, files=files)

    call_command("restore_files", str(folder), stdout=io.StringIO())

    assert (media_root / "attachments" / "0f1e.pdf").read_bytes() == PDF + b"1"
    assert (media_root / "messages" / "9a8b.pdf").read_bytes() == PDF + b"2"


@pytest.mark.django_db
def test_restore_files_refuses_a_name_leaving_the_backup(tmp_path):
    folder = write_backup(tmp_path / "sauvegarde", counts={}, files={})
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"] = {"../../etc/passwd": 10}
    (folder / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="Nom de fichier refusé"):
        call_command("restore_files", str(folder))


@pytest.mark.skipif(ON_POSTGRESQL, reason="the refusal of a database pg_dump cannot save")
@pytest.mark.django_db
def test_backup_says_it_needs_postgresql(tmp_path):
    with pytest.raises(CommandError, match="ne sert que sous PostgreSQL"):
        call_command("backup", str(tmp_path))
    assert not any(tmp_path.iterdir())


# --- Backup, then restore for real, on PostgreSQL --------------------------------------------


@pytest.fixture
def restored_database(transactional_db):
    """An empty database beside the test database, dropped at the end."""
    name = f"{connection.settings_dict['NAME']}_restauree"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment_file(tmp_path: Path, database: str, media: Path) -> Path:
    """The operator's /etc/aps/aps.env, pointing at the restored database and storage."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{database}"
    path = tmp_path / "aps.env"
    path.write_text(
        "DEBUG=false\n"
        f"SECRET_KEY={'r' * 60}\n"
        "ALLOWED_HOSTS=aps.test\n"
        f"DATABASE_URL={url}\n"
        f"MEDIA_ROOT={media}\n"
    )
    return path


def deploy_script(name: str, *arguments, env_file: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(ROOT / "deploy" / name), *map(str, arguments)],
        env={**os.environ, "APS_ENV_FILE": str(env_file)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_postgresql
def test_a_backup_restored_into_a_new_database_has_every_row_and_file(
    personas, restored_database, tmp_path
):
    sheet, quote, attached, export = sheet_with_files(personas)
    events = SheetEvent.objects.count()
    assert events >= 2  # submitted, then taken under review
    call_command("backup", str(tmp_path / "sauvegardes"), stdout=io.StringIO())
    (backup,) = (tmp_path / "sauvegardes").iterdir()
    media = tmp_path / "restored-media"
    env_file = environment_file(tmp_path, restored_database, media)

    restored = deploy_script("restore.sh", backup, env_file=env_file)

    assert restored.returncode == 0, restored.stderr
    assert "fiches projet : 1\n" in restored.stdout
    assert f"historique des fiches : {events}\n" in restored.stdout
    assert "pièces jointes : 1\n" in restored.stdout
    assert "pièces jointes des messages : 1\n" in restored.stdout
    assert "exports PDF groupés : 1\n" in restored.stdout
    assert "fichiers lisibles : 3 sur 3" in restored.stdout
    assert "Restauration conforme à la sauvegarde du" in restored.stdout
    for stored in (quote, attached, export):
        assert (media / stored.file.name).read_bytes() == stored.file.read()

    # A restore over a database in use is refused.
    again = deploy_script("restore.sh", backup, env_file=env_file)
    assert again.returncode == 1
    assert "la base cible n'est pas vide" in again.stderr

    # A file lost from the restored storage is named, with the row that names it.
    (media / quote.file.name).unlink()
    checked = deploy_script("manage.sh", "check_restore", backup, env_file=env_file)
    assert checked.returncode == 1
    assert (
        f"fichier manquant ou illisible : {quote.file.name} (pièce jointe n° {quote.pk})"
        in checked.stderr
    )
    assert ProjectSheet.objects.filter(pk=sheet.pk).exists()  # the database in use untouched


@needs_postgresql
def test_the_next_backup_links_the_files_it_already_has_and_keeps_the_most_recent(
    personas, transactional_db, tmp_path
):
    _, quote, _, _ = sheet_with_files(personas)
    root = tmp_path / "sauvegardes"
    quiet = io.StringIO()
    call_command("backup", str(root), stdout=quiet)
    (first,) = root.iterdir()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        call_command("backup", str(root), stdout=quiet)
    second = max(root.iterdir())
    # The same stored name is the same content: linked to the first copy, not read again.
    assert (second / "files" / quote.file.name).samefile(first / "files" / quote.file.name)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        call_command("backup", str(root), "--keep", "1", stdout=quiet)

    (third,) = root.iterdir()
    assert third.name > second.name
    assert (third / "files" / quote.file.name).read_bytes() == quote.file.read()
    manifest = json.loads((third / "manifest.json").read_text())
    assert manifest["counts"]["projects.attachment"] == Attachment.objects.count() == 1
    assert manifest["counts"]["reviews.messageattachment"] == MessageAttachment.objects.count()
    assert manifest["files"][quote.file.name] == quote.size


@needs_postgresql
def test_a_backup_names_a_file_it_could_not_read_and_fails(personas, transactional_db, tmp_path):
    _, _, _, export = sheet_with_files(personas)
    default_storage.delete(export.file.name)
    root = tmp_path / "sauvegardes"

    with pytest.raises(CommandError) as refused:
        call_command("backup", str(root), stdout=io.StringIO())

    assert f"- {export.file.name} : illisible" in str(refused.value)
    assert f"export PDF groupé n° {export.pk}" in str(refused.value)
    (backup,) = root.iterdir()  # the rest is saved
    manifest = json.loads((backup / "manifest.json").read_text())
    assert export.file.name in manifest["missing"]
    assert len(manifest["files"]) == 2
