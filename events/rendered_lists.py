"""Printed lists that anyone may ask for (the list of meeting documents, the
public list of participants) rendered once per state of their data and then
served from storage, as the programme is per published version.

Each kind of list has a *snapshot* builder: it reads exactly what the PDF will
print for one audience (a query or two, no rendering), digests it into a key,
and keeps the data to render from. The stored file is a ``RenderedList`` row
named by that key; a change to anything printed gives another key, so the next
reader gets a fresh PDF, and a stored one is never stale. The render on a miss
uses the very data the key was made from, so a file always matches its key.

Small lists are rendered in the request that first asks for them; large ones
by the worker while the reader watches a progress page (the programme's rule).
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.contrib.staticfiles import finders
from django.db.models import Max
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from ops.dispatch import after_commit

from . import documents, progress
from .agenda import session_label
from .models import Event, MeetingDocument, PublishedItem, RenderedList
from .stored_files import file_response

logger = logging.getLogger(__name__)

# Rows up to this many are rendered within the first request; more go to the
# worker. bench/documents.py --lists-only: 50-row lists print in 0.7-1.5 s, a
# list of 400 documents in one table in ~8 s.
INLINE_RENDER_LIMIT = 100
# Files of earlier states are deleted once a newer one is stored and they are
# this old, so a reader who was just sent one can still fetch it.
KEEP_SUPERSEDED = timedelta(minutes=10)


@dataclass
class Snapshot:
    key: str
    size: int
    render: Callable[[], bytes]
    extension: str = "pdf"
    content_type: str = "application/pdf"


# kind -> builder(event) -> Snapshot. Apps register their lists at start-up
# (registrations registers the public participant list), so the worker finds
# the builder of a queued list by its kind.
BUILDERS = {}


def register(kind, builder):
    BUILDERS[kind] = builder


@cache
def layout_digest(template, stylesheet):
    """The template and stylesheet a list is printed with: part of each key, so
    a deployment that changes the layout gives fresh PDFs."""
    source = get_template(template).template.source
    with open(finders.find(f"pdf/{stylesheet}"), "rb") as css:
        return hashlib.sha256(source.encode() + b"\0" + css.read()).hexdigest()


def digest(layout, shown):
    """The key of a list: its layout and everything it prints (JSON-able)."""
    payload = json.dumps(shown, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{layout}\0{payload}".encode()).hexdigest()


def _file_name(row, extension):
    return f"{row.event.uid}/{row.kind}-{row.key[:24]}.{extension}"


def _store(row_pk, snapshot):
    rows = RenderedList.objects.select_related("event")
    row = documents.ensure_stored(
        rows, row_pk, "file", lambda row: snapshot.render(), lambda row: _file_name(row, snapshot.extension)
    )
    _drop_superseded(row)
    return row


def _drop_superseded(row):
    old = RenderedList.objects.filter(
        event_id=row.event_id, kind=row.kind, created_at__lt=timezone.now() - KEEP_SUPERSEDED
    ).exclude(pk=row.pk)
    for pk, name in old.values_list("pk", "file"):
        if name:
            try:
                RenderedList.file.field.storage.delete(name)
            except OSError:
                logger.warning("Could not delete the superseded list %s", name)
        RenderedList.objects.filter(pk=pk).delete()


def stored_or_pending(event, kind, snapshot):
    """The stored file's name for this snapshot, rendered now if it is small;
    None when it is large and the worker was (or already is) asked for it."""
    name = (
        RenderedList.objects.filter(event=event, kind=kind, key=snapshot.key)
        .exclude(file="")
        .values_list("file", flat=True)
        .first()
    )
    if name:
        return name
    row, _ = RenderedList.objects.get_or_create(event=event, kind=kind, key=snapshot.key)
    if snapshot.size > INLINE_RENDER_LIMIT:
        if documents.claim_render(RenderedList.objects.all(), row.pk, "file", "queued_at"):
            from .tasks import render_list

            after_commit(render_list, row.pk)
        row.refresh_from_db(fields=["file"])
        return row.file.name or None
    return _store(row.pk, snapshot).file.name


def respond(request, event, kind, filename, what, url_name, status=False):
    """The list as a PDF from storage, or a progress page while the worker
    prints a large one. ``what`` names it on that page ("list of participants");
    ``url_name`` is the list's URL name, ``<url_name>_status`` its status URL's,
    which is the same view called with ``status``: it answers how far the
    printing is, as JSON, after the view's own access checks."""
    snapshot = BUILDERS[kind](event)
    name = stored_or_pending(event, kind, snapshot)
    file_url = reverse(url_name, args=[event.slug])
    if name is None:
        answer = progress.status(
            progress.PENDING,
            f"The {what} ({snapshot.size} entr{'y' if snapshot.size == 1 else 'ies'}) is being typeset. "
            f"The {snapshot.extension.upper()} opens as soon as it is ready.",
        )
        if status:
            return progress.status_response(answer)
        context = {
            "event": event,
            "what": what,
            "status": answer,
            "status_url": reverse(f"{url_name}_status", args=[event.slug]),
            "check_url": file_url,
        }
        response = render(request, "events/list_pending.html", context, status=202)
        response["Retry-After"] = "5"
        return response
    if status:
        return progress.status_response(
            progress.status(
                progress.READY,
                f"The {what} is ready.",
                url=file_url,
                url_label=f"Open it ({snapshot.extension.upper()})",
            )
        )
    return file_response(name, content_type=snapshot.content_type, filename=filename)


def render_queued(row_id):
    """The worker's side: print a queued list if its data is still what the
    key says. When it changed meanwhile, the reader's next request asks for
    the new key, so this one is dropped rather than stored under a wrong key."""
    row = RenderedList.objects.filter(pk=row_id).first()
    if row is None or row.file:
        return
    event = Event.objects.select_related("venue", "cluster").get(pk=row.event_id)
    snapshot = BUILDERS[row.kind](event)
    if snapshot.key != row.key:
        return
    _store(row.pk, snapshot)


# The list of meeting documents, one per audience: what each access level shows.

SESSION_GONE = "A session no longer on the agenda"
AUDIENCE_LEVELS = {
    "public": ["public"],
    "registered": ["public", "registered"],
    "organisers": ["public", "registered", "organisers"],
}


def documents_snapshot(event, audience):
    rows = list(
        MeetingDocument.objects.filter(event=event, access__in=AUDIENCE_LEVELS[audience])
        .order_by("sequence")
        .annotate(latest=Max("revisions__revision"))
        .values_list("number", "title", "item_uid", "latest")
    )
    uids = {uid for _, _, uid, _ in rows if uid}
    items = {}
    if uids and event.current_version_id:
        published = PublishedItem.objects.filter(version_id=event.current_version_id, uid__in=uids)
        items = {item.uid: item for item in published.only("uid", "title", "starts_at")}
    lines = []
    for number, title, uid, latest in rows:
        session = ""
        if uid:
            session = session_label(items[uid], event.tz) if uid in items else SESSION_GONE
        lines.append({"number": number, "title": title, "session": session, "revision": latest})
    cluster = str(event.cluster) if event.cluster_id else ""
    layout = layout_digest("pdf/documents.html", "list.css")
    context = {"event": event, "cluster": cluster, "documents": lines}
    return Snapshot(
        key=digest(layout, [event.title, cluster, lines]),
        size=len(lines),
        render=lambda: documents.render_pdf("pdf/documents.html", context, "list.css"),
    )


for _audience in AUDIENCE_LEVELS:
    register(f"documents-{_audience}", lambda event, audience=_audience: documents_snapshot(event, audience))
