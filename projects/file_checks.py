"""Recognising an uploaded document by its content, never by its name.

Accepted: PDF, PNG, JPEG, XLSX, DOCX, ODT. The name's extension must agree with the content
(a PNG called ``devis.xlsx`` is refused: the user would be misled about what was sent).
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class DocumentType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = DocumentType("un document PDF", "application/pdf", (".pdf",))
PNG = DocumentType("une image PNG", "image/png", (".png",))
JPEG = DocumentType("une image JPEG", "image/jpeg", (".jpg", ".jpeg"))
XLSX = DocumentType(
    "un classeur Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
DOCX = DocumentType(
    "un document Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
ODT = DocumentType("un document OpenDocument", "application/vnd.oasis.opendocument.text", (".odt",))
ACCEPTED = (PDF, PNG, JPEG, XLSX, DOCX, ODT)
ACCEPTED_LABEL = "PDF, PNG, JPEG, XLSX, DOCX ou ODT"


class RefusedFile(Exception):
    """The French reason, naming the file, why it is refused."""


def check_upload(uploaded) -> DocumentType:
    """Return the document type of a Django UploadedFile, or raise RefusedFile."""
    name = uploaded.name or "sans nom"
    if uploaded.size == 0:
        raise RefusedFile(f"« {name} » est refusé : le fichier est vide.")
    if uploaded.size > MAX_UPLOAD_BYTES:
        size_mb = uploaded.size / (1024 * 1024)
        raise RefusedFile(
            f"« {name} » est refusé : il pèse {size_mb:.1f} Mo, la limite est de 10 Mo."
        )
    uploaded.seek(0)
    try:
        detected = _detect(uploaded)
    finally:
        uploaded.seek(0)
    if detected is None:
        raise RefusedFile(
            f"« {name} » est refusé : son contenu n'est pas un document accepté ({ACCEPTED_LABEL})."
        )
    extension = PurePath(name).suffix.lower()
    if extension not in detected.extensions:
        claimed = next((t for t in ACCEPTED if extension in t.extensions), None)
        claim = (
            f"et non {claimed.label}"
            if claimed
            else f"alors que son nom se termine par « {extension or 'rien'} »"
        )
        raise RefusedFile(f"« {name} » est refusé : son contenu est {detected.label} {claim}.")
    return detected


# Entries that have no business in a document sent to the DSDEN: macros, executables.
FORBIDDEN_ENTRY_SUFFIXES = (
    ".bin",
    ".exe",
    ".dll",
    ".bat",
    ".cmd",
    ".com",
    ".scr",
    ".js",
    ".vbs",
    ".ps1",
    ".jar",
    ".msi",
    ".sh",
)


def _detect(handle) -> DocumentType | None:
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _office_type(handle)
    if _carries_an_archive(handle):
        # A PDF or an image that is also a ZIP archive (a polyglot) could carry anything.
        return None
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG if _is_image(handle, "PNG") else None
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG if _is_image(handle, "JPEG") else None
    return None


def _carries_an_archive(handle) -> bool:
    """Whether a ZIP local header and a ZIP end record both appear anywhere in the file."""
    content = handle.read(MAX_UPLOAD_BYTES + 1)
    handle.seek(0)
    return b"PK\x03\x04" in content and b"PK\x05\x06" in content


def _is_image(handle, expected_format: str) -> bool:
    try:
        with Image.open(handle) as image:
            image.verify()
            return image.format == expected_format
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return False


def _office_type(handle) -> DocumentType | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith(FORBIDDEN_ENTRY_SUFFIXES) for name in names):
                return None
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).strip()
                return ODT if mimetype == ODT.content_type.encode() else None
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as entry:
                if b"macroEnabled" in entry.read(64 * 1024):
                    return None
            if "xl/workbook.xml" in names:
                return XLSX
            if "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None
