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


def _detect(handle) -> DocumentType | None:
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        # A file that is both a PDF and a ZIP archive (a polyglot) could carry anything.
        return None if zipfile.is_zipfile(handle) else PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG if _is_image(handle, "PNG") else None
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG if _is_image(handle, "JPEG") else None
    if head.startswith(b"PK\x03\x04"):
        return _office_type(handle)
    return None


def _is_image(handle, expected_format: str) -> bool:
    try:
        with Image.open(handle) as image:
            image.verify()
            return image.format == expected_format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def _office_type(handle) -> DocumentType | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).strip()
                return ODT if mimetype == ODT.content_type.encode() else None
            if "[Content_Types].xml" not in names:
                return None
            if "xl/workbook.xml" in names:
                return XLSX
            if "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None
