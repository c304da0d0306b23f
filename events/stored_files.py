"""Answering a request with a stored file, wherever the storage keeps it.

Downloads of private files (meeting documents, generated lists and badges,
programmes) are streamed through the permission-checking view, not answered
with a redirect to a pre-signed object-store URL. Streaming lets the object
store stay on the operator's private network (a MinIO or Ceph RGW that browsers
cannot reach), a copied download link never outlives the permission check, and
the file keeps our headers (attachment, nosniff, the name with its APEC
number). bench/storage.py measures what that costs beside local files.

From an object store, a file is read with one GET whose body is relayed as it
arrives (django-storages' own ``open`` sends a HEAD first and downloads the
whole object to a temporary file before the first byte could leave). Files
whose SHA-256 is known (meeting document revisions) are also kept on each web
node's disk under that digest, once their bytes proved to match it: a
revision's bytes never change, so a copy named by its digest is never stale,
and later downloads go out with sendfile as local files do. The cache is
bounded (STORED_FILE_CACHE_MB) and drops the least recently used copies.
"""

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)

# Relayed in quarter-megabyte reads: 20 per 5 MB document rather than 1,280 of
# FileResponse's default 4 KB (bench/storage.py).
CHUNK_BYTES = 256 * 1024


def _is_object_store(storage):
    return hasattr(storage, "bucket_name")


def _object_body(storage, name):
    """The body of one GET of ``name`` and its length."""
    from botocore.exceptions import ClientError
    from storages.utils import clean_name

    key = storage._normalize_name(clean_name(name))
    try:
        answer = storage.connection.meta.client.get_object(Bucket=storage.bucket_name, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise FileNotFoundError(name) from error
        raise
    return answer["Body"], answer["ContentLength"]


def _cache_dir():
    return Path(settings.STORED_FILE_CACHE_DIR)


def _cached_copy(sha256):
    path = _cache_dir() / sha256[:2] / sha256
    try:
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        return None
    os.utime(path)  # recently used: eviction keeps it
    return handle


class _CachingReader:
    """Relays an object's body and keeps a copy under its digest once the
    whole body has arrived and matched it."""

    def __init__(self, body, sha256):
        self.body, self.expected = body, sha256
        self.digest = hashlib.sha256()
        folder = _cache_dir() / sha256[:2]
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, self.partial = tempfile.mkstemp(dir=folder, prefix=".partial-")
        self.copy = os.fdopen(descriptor, "wb")
        self.folder = folder

    def read(self, amount=-1):
        data = self.body.read(None if amount is None or amount < 0 else amount)
        if self.copy is not None:
            if data:
                self.copy.write(data)
                self.digest.update(data)
            else:
                self._keep_if_whole()
        return data

    def _keep_if_whole(self):
        self.copy.close()
        self.copy = None
        if self.digest.hexdigest() == self.expected:
            os.replace(self.partial, self.folder / self.expected)
            _evict()
        else:
            logger.error("Stored object does not match its SHA-256 %s: not cached", self.expected)
            os.unlink(self.partial)

    def close(self):
        self.body.close()
        if self.copy is not None:  # the client left before the end: no copy
            self.copy.close()
            self.copy = None
            os.unlink(self.partial)


def _evict():
    limit = settings.STORED_FILE_CACHE_MB * 1024 * 1024
    copies = [entry for folder in _cache_dir().iterdir() if folder.is_dir() for entry in os.scandir(folder)]
    copies = [(entry.stat().st_mtime, entry.stat().st_size, entry.path) for entry in copies]
    total = sum(size for _, size, _ in copies)
    for _, size, path in sorted(copies):
        if total <= limit:
            break
        Path(path).unlink(missing_ok=True)
        total -= size


def open_stored(name, storage=None, sha256=""):
    """A readable file of ``name`` and its size in bytes."""
    storage = storage or default_storage
    if not _is_object_store(storage):
        stored = storage.open(name, "rb")
        return stored, stored.size
    if sha256 and settings.STORED_FILE_CACHE_MB:
        if (cached := _cached_copy(sha256)) is not None:
            return cached, os.fstat(cached.fileno()).st_size
        body, size = _object_body(storage, name)
        return _CachingReader(body, sha256), size
    return _object_body(storage, name)


def file_response(name, *, filename, content_type, as_attachment=False, storage=None, sha256=""):
    try:
        body, size = open_stored(name, storage, sha256)
    except FileNotFoundError:
        # A row whose file is gone (a restore without its files, a bucket
        # emptied by hand): the reader gets a 404, the operator a log line.
        logger.error("Stored file %s is missing", name)
        raise Http404("This file is not available.") from None
    response = FileResponse(body, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response.block_size = CHUNK_BYTES
    response["Content-Length"] = str(size)
    return response
