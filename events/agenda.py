"""The published agenda arranged for reading: grouped by the venue's local day,
with local times and, on request, the reader's own."""

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.template.loader import render_to_string

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


def rendered_agenda(event, version, reader_zone=None):
    """HTML of a published version's days. A version never changes once
    published, so its rendering is cached for good under its own key."""
    key = f"agenda-html:{version.pk}:{reader_zone.key if reader_zone else '-'}"
    html = cache.get(key)
    if html is None:
        days = group_by_day(version.items.all(), event.tz, reader_zone)
        html = render_to_string("events/_agenda_days.html", {"days": days, "event": event, "reader_zone": reader_zone})
        cache.set(key, html, timeout=None)
    return html


def session_label(item, tz):
    """How a meeting document names the agenda item it belongs to."""
    start = item.starts_at.astimezone(tz)
    return f"{item.title} ({start:%a %-d %b, %H:%M} {zone_label(start)})"
