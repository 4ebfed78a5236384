"""What an attachment may be: PDF, DOCX, XLSX or ODT, decided by the file's content – never by its name –
and at most 20 MB.

The first bytes are matched with `filetype`; Office and OpenDocument files are ZIP containers, so their
kind is confirmed by the entries inside the container (only the directory and small manifest entries are
read, never whole members, so a ZIP bomb costs nothing here).
"""

from __future__ import annotations

import os
import unicodedata
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SIZE = 20 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", ODT: ".odt"}

# What `filetype` may call a ZIP container whose entries we then inspect (it guesses Office kinds from the
# first 8 kB only, so e.g. an XLSX written by openpyxl can show up as a plain ZIP).
_CONTAINER_GUESSES = {
    "application/zip",
    DOCX,
    XLSX,
    ODT,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/epub+zip",
}
# The main part each OOXML kind declares in [Content_Types].xml; macro-enabled variants declare another.
_OOXML_MAIN = {
    DOCX: ("word/document.xml", DOCX.encode() + b".main+xml"),
    XLSX: ("xl/workbook.xml", XLSX.encode() + b".main+xml"),
}
_MAX_MANIFEST_BYTES = 1024 * 1024


def wrong_type_message() -> str:
    return _(
        "Endast PDF, Word (DOCX), Excel (XLSX) och OpenDocument-text (ODT) är tillåtna – "
        "filens innehåll är av en annan typ."
    )


def _macro_message() -> str:
    return _("Dokument med makron är inte tillåtna. Spara filen som vanlig DOCX eller XLSX.")


def validate_upload(uploaded_file) -> str:
    """Return the content type detected from the file's content, or raise ValidationError (Swedish)."""
    if uploaded_file is None:
        raise ValidationError(_("Välj en fil att ladda upp."), code="missing")
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("Filen är tom."), code="empty")
    if size > MAX_SIZE:
        raise ValidationError(_("Filen är större än 20 MB."), code="too_large")
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    if not head:
        raise ValidationError(_("Filen är tom."), code="empty")

    guess = filetype.guess(head)
    if guess is not None and guess.mime == PDF and head.startswith(b"%PDF-"):
        return PDF
    if guess is not None and guess.mime in _CONTAINER_GUESSES:
        try:
            return _container_type(uploaded_file)
        finally:
            uploaded_file.seek(0)
    raise ValidationError(wrong_type_message(), code="wrong_type")


def _container_type(uploaded_file) -> str:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if _read_small(archive, "mimetype").strip() == ODT.encode():
                    return ODT
                raise ValidationError(wrong_type_message(), code="wrong_type")
            for content_type, (main_part, declared) in _OOXML_MAIN.items():
                if main_part in names and "[Content_Types].xml" in names:
                    if any(name.lower().endswith("vbaproject.bin") for name in names):
                        raise ValidationError(_macro_message(), code="macros")
                    if declared not in _read_small(archive, "[Content_Types].xml"):
                        raise ValidationError(wrong_type_message(), code="wrong_type")
                    return content_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ValidationError(_("Filen kunde inte läsas – den verkar vara skadad."), code="corrupt") from exc
    raise ValidationError(wrong_type_message(), code="wrong_type")


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > _MAX_MANIFEST_BYTES:
        raise ValidationError(wrong_type_message(), code="wrong_type")
    with archive.open(info) as member:
        return member.read(_MAX_MANIFEST_BYTES)


def clean_file_name(name: str) -> str:
    """The uploaded name as shown and offered on download: the last path part, without control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().strip(".") or "bilaga"
    if len(base) > 255:
        root, extension = os.path.splitext(base)
        base = root[: 255 - len(extension[:20])] + extension[:20]
    return base


def download_name(original_name: str, content_type: str) -> str:
    """The original name, with the right extension added when the name claims another type (so that a PDF
    uploaded as "x.exe" is saved by the browser as "x.exe.pdf" and opened as what it is)."""
    extension = EXTENSIONS.get(content_type, "")
    if extension and not original_name.lower().endswith(extension):
        return original_name + extension
    return original_name
