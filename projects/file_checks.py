"""Recognising an uploaded document by its content, never by its name.

Accepted: PDF, PNG, JPEG, XLSX, DOCX, ODT. The name's extension must agree with the content
(a PNG called ``devis.xlsx`` is refused: the user would be misled about what was sent).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath

from PIL import Image, UnidentifiedImageError

from aps.numbers import file_size

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


class HostileArchive(Exception):
    """What an office archive carries that it should not (French, to follow « il … »)."""


def check_upload(uploaded) -> DocumentType:
    """Return the document type of a Django UploadedFile, or raise RefusedFile."""
    name = uploaded.name or "sans nom"
    if uploaded.size == 0:
        raise RefusedFile(f"« {name} » est refusé : le fichier est vide.")
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise RefusedFile(
            f"« {name} » est refusé : il pèse {file_size(uploaded.size)}, la limite est de 10 Mo."
        )
    uploaded.seek(0)
    try:
        detected = _detect(uploaded)
    except HostileArchive as hostile:
        raise RefusedFile(f"« {name} » est refusé : {hostile}.") from None
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
            names = archive.namelist()
            if any(_forbidden_entry(name) for name in names):
                # Named for what it is when it is a known hostile part (macros, objects).
                inspect_office_archive(archive)
                return None
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).strip()
                if mimetype != ODT.content_type.encode():
                    return None
                inspect_office_archive(archive)
                return ODT
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as entry:
                if b"macroEnabled" in entry.read(64 * 1024):
                    raise HostileArchive(MACROS)
            if "xl/workbook.xml" in names:
                inspect_office_archive(archive)
                return XLSX
            if "word/document.xml" in names:
                inspect_office_archive(archive)
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


# Binary parts Office writes itself, harmless: the printer settings of a sheet or document.
BENIGN_BINARY = re.compile(r"^(xl|word)/printerSettings/printerSettings\d+\.bin$", re.IGNORECASE)


def _forbidden_entry(name: str) -> bool:
    return name.lower().endswith(FORBIDDEN_ENTRY_SUFFIXES) and not BENIGN_BINARY.match(name)


# What a hostile office archive is refused for.
MACROS = "il contient des macros, qui ne sont pas acceptées"
EXTERNAL_LINK = "il contient un lien vers un fichier externe"
EMBEDDED = "il contient un objet incorporé ou un contrôle ActiveX"
FOREIGN = "il contient des éléments étrangers à ce format (« {entry} »)"

# Parts of an OpenDocument text: anything else (Basic/, Scripts/, an object stored as a
# binary "Object 1") is refused. "Object N/" folders hold charts, written in XML.
ODF_FILES = {
    "mimetype",
    "content.xml",
    "styles.xml",
    "meta.xml",
    "settings.xml",
    "manifest.rdf",
    "layout-cache",
    "META-INF/manifest.xml",
}
ODF_FOLDERS = ("Pictures/", "Thumbnails/", "Configurations2/", "media/")
ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")
# Parts of an Office Open XML package: the package's own, then the document's folder.
OOXML_FILES = {"[Content_Types].xml"}
OOXML_FOLDERS = ("_rels/", "docProps/", "customXml/")
OOXML_DOCUMENT_FOLDERS = ("xl/", "word/")
OOXML_MACROS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
OOXML_EMBEDDED = ("/activex/", "/embeddings/", "/oleobjects/")
# Inside the document's folder: XML, its relations, drawings, pictures and fonts only.
OOXML_PART_SUFFIXES = (
    ".xml",
    ".rels",
    ".vml",
    ".png",
    ".jpeg",
    ".jpg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".emf",
    ".wmf",
    ".svg",
    ".webp",
    ".wdp",
    ".odttf",
)
# Office documents a chart embeds (its data): inspected in turn, once.
OOXML_EMBEDDED_DOCUMENTS = (".xlsx", ".docx")
# A relationship to something outside the package (a template, an image, a linked object
# fetched when the file opens; a UNC path leaks the reader's Windows credentials); only
# hyperlinks, which open on a click, may point outside.
EXTERNAL_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
ODF_EXTERNAL_HREF = re.compile(rb'xlink:href="(?:file:|\\\\|smb:)', re.IGNORECASE)
MAX_PART_READ = 2 * 1024 * 1024
ODF_OBJECT = re.compile(r"^Object \d+/[^/]+\.xml$")


def _external_relationships(archive: zipfile.ZipFile, names) -> bool:
    for name in names:
        if not name.lower().endswith(".rels"):
            continue
        with archive.open(name) as entry:
            for element in EXTERNAL_RELATIONSHIP.findall(entry.read(MAX_PART_READ)):
                if b'TargetMode="External"' in element and b"/hyperlink" not in element:
                    return True
    return False


def _embedded_documents_are_safe(archive: zipfile.ZipFile, names, depth: int) -> bool:
    """Each embedded part is an Office document (a chart's data) that passes in turn."""
    for name in names:
        lowered = f"/{name.lower()}"
        if not any(folder in lowered for folder in OOXML_EMBEDDED):
            continue
        if depth > 0 or not lowered.endswith(OOXML_EMBEDDED_DOCUMENTS):
            return False
        with archive.open(name) as entry:
            inner = entry.read(MAX_PART_READ + 1)
        try:
            with zipfile.ZipFile(io.BytesIO(inner)) as embedded:
                inspect_office_archive(embedded, depth=depth + 1)
        except (zipfile.BadZipFile, HostileArchive):
            return False
    return True


def inspect_office_archive(archive: zipfile.ZipFile, depth: int = 0) -> None:
    """Raise HostileArchive when an ODF or OOXML archive carries macros, links to external
    files, embedded objects or ActiveX controls, or any entry that is not one of its format's
    parts (an .html or .hta beside a workbook, a path leaving the archive). Also used by the
    estimate's workbook import."""
    names = archive.namelist()
    for name in names:
        if name.startswith(("/", "\\")) or ".." in PurePosixPath(name.replace("\\", "/")).parts:
            raise HostileArchive(FOREIGN.format(entry=name[:80]))
    if "mimetype" in names:
        for name in names:
            if name.startswith(ODF_MACRO_FOLDERS):
                raise HostileArchive(MACROS)
        for name in ("content.xml", "styles.xml"):
            if name in names:
                with archive.open(name) as entry:
                    if ODF_EXTERNAL_HREF.search(entry.read(MAX_PART_READ)):
                        raise HostileArchive(EXTERNAL_LINK)
        for name in names:
            if not (
                name in ODF_FILES
                or name.startswith(ODF_FOLDERS)
                or ODF_OBJECT.match(name)
                or name.startswith("ObjectReplacements/")
            ):
                raise HostileArchive(FOREIGN.format(entry=name[:80]))
        return
    lowered = [name.lower() for name in names]
    if any(name.rsplit("/", 1)[-1] in OOXML_MACROS for name in lowered):
        raise HostileArchive(MACROS)
    if any("/externallinks/" in f"/{name}" for name in lowered) or _external_relationships(
        archive, names
    ):
        raise HostileArchive(EXTERNAL_LINK)
    if not _embedded_documents_are_safe(archive, names, depth):
        raise HostileArchive(EMBEDDED)
    document_folders = {
        folder for folder in OOXML_DOCUMENT_FOLDERS if any(n.startswith(folder) for n in names)
    }
    for name in names:
        if name in OOXML_FILES or name.startswith(OOXML_FOLDERS) or name.endswith("/"):
            continue
        if (
            len(document_folders) == 1
            and name.startswith(tuple(document_folders))
            and (
                name.lower().endswith(OOXML_PART_SUFFIXES)
                or BENIGN_BINARY.match(name)
                or (
                    "/embeddings/" in f"/{name.lower()}"
                    and name.lower().endswith(OOXML_EMBEDDED_DOCUMENTS)
                )
            )
        ):
            continue
        raise HostileArchive(FOREIGN.format(entry=name[:80]))
