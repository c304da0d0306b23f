"""Answering a request with a stored file, wherever the storage keeps it.

Downloads of private files (meeting documents, generated lists and badges,
programmes) are streamed through the permission-checking view, not answered
with a redirect to a pre-signed object-store URL. Streaming lets the object
store stay on the operator's private network (a MinIO or Ceph RGW that browsers
cannot reach), a copied download link never outlives the permission check, and
the file keeps our headers (attachment, nosniff, the name with its APEC
number). bench/storage.py measures what that costs beside local files.
"""

import logging

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)

# Larger than FileResponse's 4 KB default: a 5 MB document in 80 writes, not 1,280.
CHUNK_BYTES = 64 * 1024


class _ObjectBody:
    """The body of an S3 GET as a file FileResponse can stream and close.

    django-storages' own S3File downloads the whole object to a temporary file
    before the first byte could be sent; reading the GET's body as it arrives
    starts the download at once and holds one chunk in memory."""

    def __init__(self, stored):
        answer = stored.obj.get()
        self.size = answer["ContentLength"]
        self._body = answer["Body"]

    def read(self, amount=-1):
        return self._body.read(None if amount is None or amount < 0 else amount)

    def close(self):
        self._body.close()


def open_stored(name, storage=None):
    """A readable file of ``name`` and its size in bytes."""
    storage = storage or default_storage
    stored = storage.open(name, "rb")
    if hasattr(stored, "obj"):  # django-storages' S3File: stream the object itself
        body = _ObjectBody(stored)
        return body, body.size
    return stored, stored.size


def file_response(name, *, filename, content_type, as_attachment=False, storage=None):
    try:
        body, size = open_stored(name, storage)
    except FileNotFoundError:
        # A row whose file is gone (a restore without its files, a bucket
        # emptied by hand): the reader gets a 404, the operator a log line.
        logger.error("Stored file %s is missing", name)
        raise Http404("This file is not available.") from None
    response = FileResponse(body, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response.block_size = CHUNK_BYTES
    response["Content-Length"] = str(size)
    return response
