"""Serving calendars over HTTP: conditional requests answered from a change
mark, and bodies built once per change of the data, then cached.

A client that polls with If-None-Match or If-Modified-Since gets a 304 after
one small query; a client without them gets the cached bytes. Django's
``condition`` decorator would compute the mark twice (ETag and Last-Modified
functions), so the check is done here with the same building block. Clients
that accept gzip get a copy compressed once per change, not per request.
"""

import gzip
import hashlib
import re

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

# Bodies are keyed by their change mark, so a stale body can never be served;
# the timeout only bounds memory.
BODY_CACHE_SECONDS = 7 * 24 * 3600


def _headers(response, etag, last_modified, filename, private):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    if private:
        patch_cache_control(response, private=True, max_age=300)
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    else:
        patch_cache_control(response, public=True, max_age=300)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _cached_body(digest, build, compressed):
    """The feed's bytes, built once per change of its data; the gzip copy is
    made once from them too (calendar clients poll large feeds for years and
    nearly all accept gzip: a 2,000-session agenda goes from 1.9 MB to a
    tenth of that, bench/feeds.py)."""
    key = f"ics:{digest}"
    if compressed:
        body = cache.get(f"{key}:gz")
        if body is None:
            # mtime=0: the same data gives the same compressed bytes.
            body = gzip.compress(_cached_body(digest, build, compressed=False), compresslevel=6, mtime=0)
            cache.set(f"{key}:gz", body, BODY_CACHE_SECONDS)
        return body
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, BODY_CACHE_SECONDS)
    return body


def calendar_response(request, *, mark, last_modified, build, filename, private=False):
    """``mark`` identifies the data (any string that changes whenever it does);
    ``build`` makes the iCalendar bytes and runs only on a cache miss."""
    digest = hashlib.sha256(f"{filename}|{mark}".encode()).hexdigest()[:40]
    compressed = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    # Each encoding is its own representation with its own tag (RFC 9110 8.8.3).
    etag = quote_etag(f"{digest}-gzip" if compressed else digest)
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is None:
        response = HttpResponse(_cached_body(digest, build, compressed), content_type="text/calendar; charset=utf-8")
        if compressed:
            response["Content-Encoding"] = "gzip"
    else:
        response = not_modified
    patch_vary_headers(response, ["Accept-Encoding"])
    return _headers(response, etag, last_modified, filename, private)
