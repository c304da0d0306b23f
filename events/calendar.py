"""iCalendar building (RFC 5545 / RFC 5546) with the icalendar library.

Output is deterministic for unchanged data: DTSTAMP and LAST-MODIFIED come from
the data's own change marks, never from "now", so the same data always gives
the same bytes (and the same ETag). Times carry the venue's TZID with a
VTIMEZONE generated from the zone database for the years the calendar spans.
"""

from datetime import UTC, date, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Timezone, vCalAddress, vText
from icalendar import Event as VEvent

from .text import html_to_text, one_line, plain_text

PRODID = "-//IPEG Events//IPEG Events//EN"


def _calendar(method="PUBLISH", name=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        # A calendar's name is one line; an unknown property (X-WR-CALNAME)
        # would otherwise be written raw and a line break would end it.
        calendar.add("x-wr-calname", vText(one_line(name)))
        # Ask subscribed clients to poll every few hours, not every minute.
        calendar.add("refresh-interval", timedelta(hours=settings.FEED_REFRESH_HOURS), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", timedelta(hours=settings.FEED_REFRESH_HOURS))
    return calendar


@lru_cache(maxsize=256)
def _vtimezone(tzid, first_year, last_year):
    # Generating a VTIMEZONE walks the zone's transitions: worth doing once per
    # zone and span, not once per mail (bench/reminders.py).
    # The component is shared by every calendar that needs it and never changed.
    timezone = Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1))
    for observance in timezone.subcomponents:
        _one_rdate_per_line(observance)
    return timezone


def _one_rdate_per_line(observance):
    """Every onset of an observance on its own RDATE line, its DTSTART included.

    icalendar lists a zone's yearly changes in one RDATE; Mozilla's ical.js
    (Thunderbird, many web calendars) reads only the first value of each RDATE
    line and would miss every later change. Some readers (the strict `ical`
    package) take the onsets from RDATE alone and skip DTSTART. RFC 5545 lets
    RDATE repeat and counts an onset given twice once, so this is the same
    zone, read alike by all of them (tests/feeds/test_parsers_agree.py)."""
    onsets = [observance.decoded("DTSTART")]
    rdates = observance.pop("RDATE", None)
    for rdate_list in (rdates if isinstance(rdates, list) else [rdates]) if rdates is not None else []:
        onsets.extend(moment.dt for moment in rdate_list.dts)
    for onset in onsets:
        observance.add("rdate", onset)


def _finish(calendar, datetimes):
    """Add a VTIMEZONE for every zone used, covering whole years around the data
    (so that calendars of the same years share one cached component)."""
    if datetimes:
        first_year, last_year = min(datetimes).year - 1, max(datetimes).year + 2
        for tzid in sorted(calendar.get_missing_tzids()):
            calendar.subcomponents.insert(0, _vtimezone(tzid, first_year, last_year))
    return calendar.to_ical()


def _url(path):
    return f"{settings.SITE_URL}{path}"


def event_uid(event):
    return f"event-{event.uid}@ipeg-events"


def item_uid(uid):
    return f"item-{uid}@ipeg-events"


def _location(event, room=""):
    venue = event.venue
    parts = [room, venue.name, venue.address, venue.city, venue.get_economy_display()]
    return ", ".join(part for part in parts if part)


def _is_all_day(event):
    start, end = event.starts_at.astimezone(event.tz), event.ends_at.astimezone(event.tz)
    return start.time() == time(0) and end.time() == time(0)


def event_vevent(event, *, status=None, sequence=None):
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    stamp = event.updated_at.astimezone(UTC)
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", stamp)
    if _is_all_day(event):
        # Whole local days (an event from midnight to midnight at the venue).
        vevent.add("dtstart", event.starts_at.astimezone(event.tz).date())
        vevent.add("dtend", event.ends_at.astimezone(event.tz).date())
    else:
        vevent.add("dtstart", event.starts_at.astimezone(event.tz))
        vevent.add("dtend", event.ends_at.astimezone(event.tz))
    vevent.add("summary", event.title)
    vevent.add("location", _location(event))
    url = _url(event.get_absolute_url())
    vevent.add("url", url)
    details = [plain_text(event.description)]
    if event.project_code:
        details.append(f"APEC project {event.project_code}")
    details.append(f"Agenda: {url}agenda/")
    vevent.add("description", "\n\n".join(part for part in details if part))
    vevent.add("categories", [event.get_kind_display()])
    cancelled = event.status == event.Status.CANCELLED
    vevent.add("sequence", event.sequence if sequence is None else sequence)
    vevent.add("status", status or ("CANCELLED" if cancelled else "CONFIRMED"))
    return vevent


def _session_vevent(event, uid, *, stamp, starts_at, ends_at, title, room, sequence, status):
    vevent = VEvent()
    vevent.add("uid", item_uid(uid))
    vevent.add("dtstamp", stamp.astimezone(UTC))
    vevent.add("last-modified", stamp.astimezone(UTC))
    vevent.add("dtstart", starts_at.astimezone(event.tz))
    vevent.add("dtend", ends_at.astimezone(event.tz))
    vevent.add("summary", title)
    vevent.add("location", _location(event, room))
    vevent.add("sequence", sequence)
    vevent.add("status", status)
    return vevent


def item_vevent(event, item):
    # An item is cancelled with its event.
    cancelled = event.status == event.Status.CANCELLED
    vevent = _session_vevent(
        event,
        item.uid,
        stamp=item.changed_at,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        title=item.title,
        room=item.room,
        sequence=item.sequence + (event.sequence if cancelled else 0),
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    vevent.add("url", _url(f"{reverse('events:agenda', args=[event.slug])}#item-{item.uid}"))
    details = [html_to_text(item.description_html)]
    if item.speakers:
        details.append("Speakers: " + "; ".join(_speaker_line(speaker) for speaker in item.speakers))
    details.append(event.title)
    vevent.add("description", "\n\n".join(part for part in details if part))
    vevent.add("categories", [item.get_kind_display(), event.title])
    return vevent


def removed_item_vevent(event, removed):
    return _session_vevent(
        event,
        removed.uid,
        stamp=removed.removed_at,
        starts_at=removed.starts_at,
        ends_at=removed.ends_at,
        title=removed.title,
        room=removed.room,
        sequence=removed.sequence,
        status="CANCELLED",
    )


def _speaker_line(speaker):
    affiliation = ", ".join(part for part in (speaker.get("organisation"), speaker.get("economy")) if part)
    return f"{speaker['name']} ({affiliation})" if affiliation else speaker["name"]


def _span(event):
    return [event.starts_at, event.ends_at]


def events_feed(events):
    calendar = _calendar(name="IPEG events")
    stamps = []
    for event in events:
        calendar.add_component(event_vevent(event))
        stamps += _span(event)
    return _finish(calendar, stamps)


def _add_agenda(calendar, event, items, removed):
    calendar.add_component(event_vevent(event))
    stamps = _span(event)
    for item in items:
        calendar.add_component(item_vevent(event, item))
    for gone in removed:
        calendar.add_component(removed_item_vevent(event, gone))
    return stamps


def agenda_feed(event, items, removed):
    calendar = _calendar(name=f"{event.title} — agenda")
    return _finish(calendar, _add_agenda(calendar, event, items, removed))


def personal_feed(name, entries):
    """``entries``: (event, items, removed, registration_cancelled) per event."""
    calendar = _calendar(name=name)
    stamps = []
    for event, items, removed, cancelled in entries:
        if cancelled:
            # One step past the event's own SEQUENCE, so the client drops it.
            calendar.add_component(event_vevent(event, status="CANCELLED", sequence=event.sequence + 1))
            stamps += _span(event)
        else:
            stamps += _add_agenda(calendar, event, items, removed)
    return _finish(calendar, stamps)


def single_event(event):
    calendar = _calendar()
    calendar.add_component(event_vevent(event))
    return _finish(calendar, _span(event))


def single_item(event, item):
    calendar = _calendar()
    calendar.add_component(item_vevent(event, item))
    return _finish(calendar, [item.starts_at, item.ends_at])


def _organizer():
    organizer = vCalAddress(f"mailto:{settings.EVENTS_ORGANIZER_EMAIL}")
    organizer.params["cn"] = vText("IPEG Events")
    return organizer


def _attendee(registration, partstat):
    attendee = vCalAddress(f"mailto:{registration.user.email}")
    attendee.params["cn"] = vText(registration.user.display_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText(partstat)
    return attendee


def registration_invitation(registration, method):
    """The .ics attached to a registration mail.

    REQUEST for a held seat, CANCEL when it is cancelled or declined, PUBLISH
    (tentative, for information) while pending or waitlisted. It carries the
    event's own UID, so a client that also subscribes to a feed shows one entry.
    """
    event = registration.event
    status = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED", "PUBLISH": "TENTATIVE"}[method]
    vevent = event_vevent(event, status=status)
    if method in ("REQUEST", "CANCEL"):
        vevent.add("organizer", _organizer())
        vevent.add("attendee", _attendee(registration, "ACCEPTED" if method == "REQUEST" else "DECLINED"))
    calendar = _calendar(method)
    calendar.add_component(vevent)
    return _finish(calendar, _span(event))
