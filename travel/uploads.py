"""What an uploaded claim document really is, from its bytes, not its name;
and a name for it that is safe to show and to send back in a download."""

import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename

# What travellers have: scans and photos of boarding passes and receipts, and
# the airline's e-ticket as a PDF.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
SUFFIX = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
ALLOWED = "a PDF, JPEG or PNG file"
NAME_LENGTH = 100


def max_bytes():
    return settings.DOCUMENT_MAX_BYTES


def inspect(upload):
    """The content type to serve the file with, or a ValidationError saying
    what is wrong in words the traveller can act on."""
    if upload.size == 0:
        raise ValidationError("The file is empty: choose the scan or photo again.")
    if upload.size > max_bytes():
        raise ValidationError(
            f"The file is larger than {max_bytes() // (1024 * 1024)} MB: scan it at a lower resolution."
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    found = next((kind for kind, heads in SIGNATURES.items() if head.startswith(heads)), None)
    if found is None:
        raise ValidationError(f"This file is not {ALLOWED}: upload a scan or photo as PDF, JPEG or PNG.")
    named = EXTENSIONS.get(PurePath(upload.name or "").suffix.lower())
    if named is not None and named != found:
        raise ValidationError(f"This file is named {PurePath(upload.name).suffix.lower()} but is not one.")
    return found


def safe_name(name, content_type):
    """The file's own name without folders, control or odd characters, cut to
    a length that fits a page and a header, ending in the suffix of what the
    bytes are."""
    stem = PurePath((name or "").replace("\\", "/")).stem
    stem = unicodedata.normalize("NFKC", stem)
    stem = "".join(char for char in stem if unicodedata.category(char)[0] != "C")
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # "", "." or ".." after cleaning
        stem = ""
    stem = stem.strip("._-")[: NAME_LENGTH - 5] or "document"
    return f"{stem}{SUFFIX[content_type]}"
