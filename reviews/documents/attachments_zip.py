"""Every attachment of a filtered list of sheets in one ZIP, written while it is sent.

Python's ``zipfile`` writes to a stream it cannot seek (``_Sink``): each entry's sizes and
checksum follow its data (a data descriptor) and the directory comes last, so that each chunk
read from storage leaves as soon as it is compressed: neither the archive nor a file of it is
ever whole in memory or on disk.

The entries are listed (and the archive refused when too large) before the first byte is
sent, so that a refusal is a message on the list rather than a broken download.
"""

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from aps.numbers import file_size
from projects.models import Attachment, ProjectSheet
from reviews.workflow.services import ReviewError

# Past these, the archive is refused: narrow the list (a commission's sheets fit).
MAX_SHEETS = 300
MAX_BYTES = 500 * 1024 * 1024
CHUNK_BYTES = 256 * 1024
# Characters that are not safe in a file name on Windows, macOS or Linux, and control ones.
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_NAME = 150
EMPTY_NAME = "aucune-piece-jointe.txt"


@dataclass(frozen=True)
class Entry:
    name: str
    attachment: Attachment


def entries(sheets: QuerySet[ProjectSheet]) -> list[Entry]:
    """The archive's entries for the attachments of ``sheets`` (already narrowed to the user
    and filtered), checked first: refused (``ReviewError``) past ``MAX_SHEETS`` sheets or
    ``MAX_BYTES``."""
    sheet_count = sheets.count()
    if sheet_count > MAX_SHEETS:
        raise ReviewError(
            f"Trop de fiches pour une seule archive : {sheet_count} fiches, au plus "
            f"{MAX_SHEETS}. Filtrez la liste (par état, district ou campagne) puis réessayez."
        )
    attachments = Attachment.objects.filter(sheet__in=sheets.order_by().values("pk"))
    totals = attachments.aggregate(count=Count("pk"), size=Sum("size"))
    if not totals["count"]:
        return []
    if totals["size"] > MAX_BYTES:
        raise ReviewError(
            f"Les pièces jointes de ces fiches pèsent {file_size(totals['size'])}, au plus "
            f"{file_size(MAX_BYTES)} par archive. Filtrez la liste puis réessayez."
        )
    rows = (
        attachments.select_related("sheet__establishment")
        .only(
            "file",
            "original_name",
            "size",
            "uploaded_at",
            "sheet__network",
            "sheet__establishment__uai",
        )
        .order_by("sheet_id", "kind", "uploaded_at", "pk")
    )
    taken: set[str] = set()
    return [Entry(_unique(entry_name(a), taken), a) for a in rows]


def entry_name(attachment: Attachment) -> str:
    """``<UAI>_<sheet id>_<original name>``; a network's sheet, which has no UAI, is named
    after its network (``reseau-<id>``). No path separator, control character or leading dot
    survives, so that nothing is written outside the folder it is unpacked into."""
    sheet = attachment.sheet
    establishment = sheet.establishment  # joined (``entries``)
    carrier = establishment.uai if establishment else f"reseau-{sheet.network_id}"
    original = unicodedata.normalize("NFC", attachment.original_name)
    original = UNSAFE.sub("_", original).strip().rstrip(". ") or "fichier"
    name = f"{carrier}_{sheet.pk}_{original}"
    if len(name) > MAX_NAME:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: MAX_NAME - len(suffix)] + suffix
    return name


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``… before its extension when already in the archive
    (two attachments of a sheet with the same name); compared without case, as Windows does."""
    path = PurePosixPath(name)
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{path.stem}-{number}{path.suffix}"
    taken.add(candidate.lower())
    return candidate


class _Sink:
    """A stream zipfile writes to and cannot seek: the generator takes what was written."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream(archive_entries: list[Entry]) -> Iterator[bytes]:
    """The ZIP of ``archive_entries``, chunk by chunk. A file missing from the storage is left
    out and named in ``fichiers-manquants.txt``, rather than cutting the download short;
    without any entry, the archive says so (``aucune-piece-jointe.txt``)."""
    sink = _Sink()
    missing = []
    # Stored, not compressed: office documents, images and most PDFs are compressed already,
    # and compressing 500 Mo again would hold a worker for tens of seconds for little.
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for entry in archive_entries:
            attachment = entry.attachment
            try:
                source = attachment.file.open("rb")
            except OSError:
                missing.append(entry.name)
                continue
            moment = timezone.localtime(attachment.uploaded_at)
            info = zipfile.ZipInfo(entry.name, date_time=moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = attachment.size  # tells zipfile whether it needs ZIP64
            with source, archive.open(info, "w") as target:
                while chunk := source.read(CHUNK_BYTES):
                    target.write(chunk)
                    yield sink.take()
            yield sink.take()
        if not archive_entries:
            archive.writestr(EMPTY_NAME, "Aucune des fiches de la liste n'a de pièce jointe.\n")
        if missing:
            archive.writestr(
                "fichiers-manquants.txt",
                "Ces pièces jointes sont introuvables sur le serveur :\n" + "\n".join(missing),
            )
    yield sink.take()
