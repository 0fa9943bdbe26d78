"""Backups of the service and the check of a restore.

A backup is one folder: ``database.dump`` (pg_dump's custom format), ``files/`` (every file
the database names, read through the storage API, so that the local disk and an object store
are saved alike) and ``manifest.json``, written last: the number of rows of each model and
the size of each file, read in the very snapshot pg_dump saves. A restored database and
storage are checked against that manifest.

It lives in the top app because it reads every app's tables; it finds them (and their
FileFields) through the app registry, so that a model added later is counted and saved too.
"""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, models, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
FORMAT = 1
PROJECT_APPS = ("aps", "projects", "funding", "reviews")
# A folder's name is the moment of its backup; one being written carries a suffix until done.
STAMP = "%Y-%m-%d_%H%M%S"
STAMP_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{6}$")
PARTIAL = ".partiel"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is French, for the operator."""


@dataclass
class StoredFile:
    """A file named by the database, and which rows name it (for the operator)."""

    name: str
    storage: Storage
    owners: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    counts: dict[str, int]
    files: int
    missing: dict[str, str]


@dataclass(frozen=True)
class CheckResult:
    counts: dict[str, int]
    files: int
    readable: int
    problems: list[str]


def counted_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and model._meta.managed and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in counted_models()}


def label_of(model_label: str) -> str:
    """``projects.projectsheet`` → « fiches projet »."""
    try:
        return str(apps.get_model(model_label)._meta.verbose_name_plural)
    except LookupError:
        return model_label


def referenced_files() -> dict[str, StoredFile]:
    """Every file named by a FileField of any model, by name (several rows may share one)."""
    found: dict[str, StoredFile] = {}
    for model in apps.get_models():
        for file_field in model._meta.concrete_fields:
            if not isinstance(file_field, models.FileField):
                continue
            rows = (
                model._base_manager.exclude(**{f"{file_field.attname}__isnull": True})
                .exclude(**{file_field.attname: ""})
                .order_by("pk")
                .values_list("pk", file_field.attname)
            )
            for pk, name in rows.iterator():
                entry = found.setdefault(name, StoredFile(name, file_field.storage))
                entry.owners.append(f"{model._meta.verbose_name} n° {pk}")
    return found


def inside(folder: Path, name: str) -> Path:
    """The path of a stored file's copy; a name that would leave the folder is refused."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise BackupError(f"Nom de fichier refusé (hors du dossier de sauvegarde) : {name}")
    return folder.joinpath(*parts)


# --- Backup ----------------------------------------------------------------------------------


def backup(root: Path, *, keep: int | None = None) -> BackupResult:
    """Write a new backup folder under ``root``; keep the ``keep`` most recent ones."""
    if connection.vendor != "postgresql":
        raise BackupError(
            "La sauvegarde passe par pg_dump : elle ne sert que sous PostgreSQL "
            "(sous SQLite, copiez le fichier de la base et MEDIA_ROOT)."
        )
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime(STAMP)
    final, work = root / stamp, root / f"{stamp}{PARTIAL}"
    if final.exists():
        raise BackupError(f"Une sauvegarde {final} existe déjà.")
    previous = latest_backup(root)
    work.mkdir(mode=0o700)
    try:
        connection.ensure_connection()
        with transaction.atomic():
            with connection.cursor() as cursor:
                # The counts and the file names are read in the snapshot pg_dump saves, so
                # that the manifest describes the dump exactly, however busy the service.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            counts = row_counts()
            files = referenced_files()
            _pg_dump(snapshot, work / DUMP)
        # Copied after the transaction: the first copy of an object store may take hours,
        # and a snapshot held that long would keep PostgreSQL from vacuuming.
        sizes, missing = _copy_files(files, work / FILES, previous)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "counts": counts,
            "files": sizes,
            "missing": missing,
        }
        (work / MANIFEST).write_text(
            json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _prune(root, keep)
    return BackupResult(final, counts, len(sizes), missing)


def _pg_dump(snapshot: str, path: Path) -> None:
    binary = shutil.which("pg_dump")
    if binary is None:
        raise BackupError(
            "pg_dump est introuvable : installez postgresql-client (même version majeure "
            "que le serveur, ou plus récente)."
        )
    database = connection.settings_dict
    env = dict(os.environ)
    for variable, value in {
        "PGDATABASE": database["NAME"],
        "PGUSER": database["USER"],
        "PGPASSWORD": database["PASSWORD"],
        "PGHOST": database["HOST"],
        "PGPORT": database["PORT"],
        **{
            f"PG{key.upper()}": value
            for key, value in database.get("OPTIONS", {}).items()
            if key in {"sslmode", "sslrootcert", "sslcert", "sslkey"}
        },
    }.items():
        if value:
            env[variable] = str(value)
    done = subprocess.run(
        [binary, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump a échoué : {done.stderr.strip()}")


def _copy_files(
    files: dict[str, StoredFile], folder: Path, previous: Path | None
) -> tuple[dict[str, int], dict[str, str]]:
    """Copy each file into ``folder``; a file the previous backup holds is linked to its copy
    there (names are random and never rewritten: the same name is the same content), so a
    night's backup reads only the day's new files from the storage."""
    sizes: dict[str, int] = {}
    missing: dict[str, str] = {}
    folder.mkdir(mode=0o700)  # even empty: restore.sh checks a backup has its three parts
    for name, entry in sorted(files.items()):
        target = inside(folder, name)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        earlier = inside(previous / FILES, name) if previous else None
        if earlier is not None and earlier.is_file():
            try:
                os.link(earlier, target)
            except OSError:
                shutil.copy2(earlier, target)
        else:
            error = _read_into(entry.storage, name, target)
            if error:
                missing[name] = f"{error} ({', '.join(entry.owners)})"
                continue
        sizes[name] = target.stat().st_size
    return sizes, missing


def _read_into(storage: Storage, name: str, target: Path) -> str:
    """Copy a stored file to ``target`` through a temporary name (never a half file under the
    real one); return why it could not be read, or ""."""
    partial = target.with_name(target.name + PARTIAL)
    try:
        with storage.open(name, "rb") as source, partial.open("wb") as copy:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
    # Whatever the storage (a missing file, a refused or failed request to the object
    # store), the file is not in this backup: it is named in the manifest and the backup
    # goes on with the others.
    except Exception as error:  # noqa: BLE001
        partial.unlink(missing_ok=True)
        return f"illisible : {type(error).__name__}: {error}"
    partial.replace(target)
    return ""


def complete_backups(root: Path) -> list[Path]:
    """The finished backups under ``root``, oldest first."""
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.iterdir()
        if path.is_dir() and STAMP_PATTERN.match(path.name) and (path / MANIFEST).is_file()
    )


def latest_backup(root: Path) -> Path | None:
    backups = complete_backups(root)
    return backups[-1] if backups else None


def _prune(root: Path, keep: int | None) -> None:
    # One backup runs at a time (the systemd unit): a folder left half written is a dead one.
    for path in root.glob(f"*{PARTIAL}"):
        shutil.rmtree(path, ignore_errors=True)
    if keep:
        for path in complete_backups(root)[:-keep]:
            shutil.rmtree(path)


# --- Restore ---------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    """The manifest of a backup folder, or of its own path."""
    path = path / MANIFEST if path.is_dir() else path
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"Manifeste introuvable : {path}") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"Manifeste illisible ({path}) : {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Manifeste d'un format inconnu ({path}).")
    return manifest


def restore_files(folder: Path, *, storage: Storage = default_storage) -> tuple[int, int]:
    """Put a backup's files back into the storage under their own names (every FileField of
    the project uses the default storage); a file already there with its size is left.
    Returns (written, already there)."""
    manifest = read_manifest(folder)
    written = present = 0
    for name, size in sorted(manifest["files"].items()):
        source = inside(folder / FILES, name)
        if storage.exists(name):
            if storage.size(name) == size:
                present += 1
                continue
            storage.delete(name)
        with source.open("rb") as content:
            saved = storage.save(name, File(content, name=name))
        if saved != name:
            raise BackupError(f"Le stockage a enregistré {name} sous un autre nom : {saved}")
        written += 1
    return written, present


def check_restore(manifest: dict | None = None) -> CheckResult:
    """Count the rows of the database in use and read every file it names (its size, its
    first byte) through the storage; compare both with the backup's ``manifest`` if given.
    The problems are French sentences naming each table and file."""
    counts = row_counts()
    problems = []
    expected_sizes = manifest["files"] if manifest else {}
    missing_at_backup = manifest.get("missing", {}) if manifest else {}
    if manifest:
        for label, expected in sorted(manifest["counts"].items()):
            found = counts.get(label)
            if found != expected:
                problems.append(
                    f"{label_of(label)} : {expected} dans la sauvegarde, "
                    f"{'table absente' if found is None else found} dans la base restaurée"
                )
    files = referenced_files()
    names = sorted(set(files) | set(expected_sizes))
    readable = 0
    for name in names:
        entry = files.get(name) or StoredFile(name, default_storage, ["la sauvegarde"])
        where = ", ".join(entry.owners)
        try:
            size = entry.storage.size(name)
            with entry.storage.open(name, "rb") as opened:
                opened.read(1)
        except Exception as error:  # noqa: BLE001 — any storage's failure is reported alike
            already = " ; déjà absent lors de la sauvegarde" if name in missing_at_backup else ""
            problems.append(
                f"fichier manquant ou illisible : {name} ({where}{already}) — "
                f"{type(error).__name__}"
            )
            continue
        readable += 1
        if name in expected_sizes and size != expected_sizes[name]:
            problems.append(
                f"fichier de taille différente : {name} ({where}) — {size} octets, "
                f"{expected_sizes[name]} dans la sauvegarde"
            )
    return CheckResult(counts, len(names), readable, problems)
