"""The published agenda arranged for reading: grouped by the venue's local day,
with local times and, on request, the reader's own."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string

from .calendar_links import ItemMenuLinks
from .models import DocumentRevision, MeetingDocument
from .timezones import zone_label


@dataclass
class AgendaRow:
    item: object
    start: str
    end: str
    zone: str
    reader_start: str = ""
    reader_end: str = ""
    reader_zone: str = ""
    documents: tuple = ()
    # The "Add to calendar" menu's short links (calendar_links.ItemMenuLinks), the same for every reader.
    calendar_links: list = field(default_factory=list)


@dataclass
class AgendaDay:
    date: date
    rows: list = field(default_factory=list)

    @property
    def zones(self):
        """Usually one label; two on the day the clocks change."""
        return list(dict.fromkeys(row.zone for row in self.rows))


def _clock(dt):
    return dt.strftime("%H:%M")


def group_by_day(items, zone, reader_zone=None):
    days = []
    for item in items:
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        row = AgendaRow(item=item, start=_clock(start), end=_clock(end), zone=zone_label(start))
        if reader_zone is not None:
            reader_start, reader_end = item.starts_at.astimezone(reader_zone), item.ends_at.astimezone(reader_zone)
            row.reader_start = reader_start.strftime("%a %d %b %H:%M")
            row.reader_end = _clock(reader_end)
            row.reader_zone = zone_label(reader_start)
        if not days or days[-1].date != start.date():
            days.append(AgendaDay(date=start.date()))
        days[-1].rows.append(row)
    return days


# Stars without un-sharing the cache (issue 13, item 4). The star beside each
# session in the shared, cached HTML is drawn unpressed, a button of the page's
# one star form (form="star-form" formaction=…, so no per-reader CSRF token sits
# in the shared HTML). The server presses a reader's own stars: ``with_stars``
# cuts the cached bytes only at that reader's starred sessions (the offset of
# every star's state is stored beside the HTML when it is rendered) and joins
# the pieces once. It works without JavaScript and costs by the reader's stars,
# not the agenda's size. Measured when the 2,000-session page was 1.83 MB
# (before its calendar menus; not re-measured since, and the join copies the
# whole page, so the starred figures are likely higher now), in-process on the
# shared 2-core machine: no stars 0 ms (the cached bytes as they are, not
# copied), 1 or 10 stars 0.28 ms, 200 stars 0.5 ms, all 2,000 stars 2.8 ms,
# plus 0.18 ms to read the offsets from the local-memory cache. The other
# choice, a per-reader list of uids with CSS :has() selectors, needs no cut
# but a selector per star and shows nothing where :has() is unsupported.
STAR_OFF = b'aria-pressed="false" value="on"'
STAR_ON = b'aria-pressed="true" value="off"'
_STAR_AT = re.compile(rb'data-uid="([0-9a-f-]{36})" ' + re.escape(STAR_OFF))

# Whose stars are whose is the registrations app's business, which events may
# not import: it registers its lookup at start-up (registrations/apps.py).
_starred_lookups = []


def add_starred_lookup(lookup):
    """``lookup(event, user) -> set of item uids`` the signed-in user starred."""
    _starred_lookups.append(lookup)


def starred_uids(event, user):
    if not user.is_authenticated:
        return set()
    return set().union(*(lookup(event, user) for lookup in _starred_lookups))


# Documents filed under a session are shown beside it, each reader seeing what
# their access level allows; the HTML is cached once per level (there are
# three) and per state of the event's session documents.
DOCUMENTS_STAMP_KEY = "agenda-docs:{event_id}"


NO_DOCUMENTS = "0"


def documents_stamp(event_id):
    """A digest of what the agenda shows of an event's session documents,
    cached until a document or revision of the event is saved or deleted
    (the receivers below drop it)."""
    key = DOCUMENTS_STAMP_KEY.format(event_id=event_id)
    stamp = cache.get(key)
    if stamp is None:
        rows = (
            MeetingDocument.objects.filter(event_id=event_id, item_uid__isnull=False)
            .order_by("pk")
            .values_list("pk", "item_uid", "access", "title", "number", Max("revisions__pk"))
        )
        rows = list(rows)
        stamp = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest() if rows else NO_DOCUMENTS
        cache.set(key, stamp, timeout=None)
    return stamp


def forget_documents_stamp(event_id):
    cache.delete(DOCUMENTS_STAMP_KEY.format(event_id=event_id))


def _document_saved(sender, instance, **kwargs):
    if sender is MeetingDocument:
        event_id = instance.event_id
    else:
        event_id = MeetingDocument.objects.filter(pk=instance.document_id).values_list("event_id", flat=True).first()
    if event_id is not None:
        forget_documents_stamp(event_id)


def connect_document_receivers():
    for model in (MeetingDocument, DocumentRevision):
        post_save.connect(_document_saved, sender=model, dispatch_uid=f"agenda-docs-{model.__name__}")
        post_delete.connect(_document_saved, sender=model, dispatch_uid=f"agenda-docs-del-{model.__name__}")


def _session_documents(event, levels):
    by_session = {}
    documents = MeetingDocument.objects.filter(event=event, access__in=levels, item_uid__isnull=False).order_by(
        "sequence"
    )
    for document in documents:
        by_session.setdefault(document.item_uid, []).append(document)
    return by_session


# A rendering is never stale (its key names all it shows), but a change of the
# session documents leaves the previous ones unused: they expire.
AGENDA_CACHE_SECONDS = 7 * 24 * 3600


def _cache_key(version, reader_zone, level, stamp):
    return f"agenda-html:{version.pk}:{reader_zone.key if reader_zone else '-'}:{level}:{stamp}"


def rendered_agenda(event, version, reader_zone=None, levels=("public",), stamp=None):
    """HTML (UTF-8 bytes) of a published version's days, and its cache key, as the readers of one access level
    see it (``levels``: what events.document_queries.levels_for gives). A
    version never changes once published, so its rendering is cached under
    its own key, with the state of the session documents in the key."""
    level = levels[-1]
    stamp = documents_stamp(event.pk) if stamp is None else stamp
    key = _cache_key(version, reader_zone, level, stamp)
    html = cache.get(key)
    if html is None:
        days = group_by_day(version.items.all(), event.tz, reader_zone)
        documents = _session_documents(event, levels) if stamp != NO_DOCUMENTS else {}
        calendar_links = ItemMenuLinks(event.slug)
        for day in days:
            for row in day.rows:
                row.documents = documents.get(row.item.uid, ())
                row.calendar_links = calendar_links(row.item)
        context = {"days": days, "event": event, "reader_zone": reader_zone}
        # Kept as UTF-8: the page is sent as bytes, never re-encoded per request.
        html = render_to_string("events/_agenda_days.html", context).encode()
        offsets = {match.group(1).decode(): match.end(1) + 2 for match in _STAR_AT.finditer(html)}
        cache.set_many({key: html, key + ":stars": offsets}, timeout=AGENDA_CACHE_SECONDS)
    return html, key


def with_stars(html, key, starred):
    """The cached HTML with the reader's starred sessions' buttons pressed:
    one slice and one join of the string, whatever the agenda's size."""
    if not starred:
        return html
    offsets = cache.get(key + ":stars")
    if offsets is None:  # evicted apart from the HTML
        offsets = {match.group(1).decode(): match.end(1) + 2 for match in _STAR_AT.finditer(html)}
        cache.set(key + ":stars", offsets, timeout=AGENDA_CACHE_SECONDS)
    cuts = sorted(offsets[uid] for uid in {str(uid) for uid in starred} if uid in offsets)
    if not cuts:
        return html
    parts, last = [], 0
    for at in cuts:
        parts += [html[last:at], STAR_ON]
        last = at + len(STAR_OFF)
    parts.append(html[last:])
    return b"".join(parts)


def session_label(item, tz):
    """How a meeting document names the agenda item it belongs to."""
    start = item.starts_at.astimezone(tz)
    return f"{item.title} ({start:%a %-d %b, %H:%M} {zone_label(start)})"
