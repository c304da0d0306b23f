"""What an uploaded meeting document really is, from its bytes, not its name."""

import io
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

# Office Open XML files are ZIP archives; the part that makes each kind what it is.
OOXML_PARTS = {
    ".docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".pptx": ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
ALLOWED = "PDF, Word (.docx), PowerPoint (.pptx) or Excel (.xlsx)"


def inspect_upload(upload):
    """Returns the content type to serve the file with, or raises ValidationError."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower()
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(f"The file is larger than {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == ".pdf":
        if head.startswith(b"%PDF-"):
            return "application/pdf"
        raise ValidationError("This file is named .pdf but is not a PDF.")
    if extension in OOXML_PARTS:
        part, content_type = OOXML_PARTS[extension]
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and part in names:
            return content_type
        raise ValidationError(f"This file is named {extension} but is not a real {extension} document.")
    raise ValidationError(f"Upload a {ALLOWED} file.")
