"""iCalendar building (RFC 5545 / RFC 5546) with the icalendar library.

Output is deterministic for unchanged data: DTSTAMP and LAST-MODIFIED come from
the data's own change marks, never from "now", so the same data always gives
the same bytes.
"""

from datetime import UTC

from django.conf import settings
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from .text import plain_text

PRODID = "-//IPEG Events//IPEG Events//EN"


def _calendar(method, name=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def event_uid(event):
    return f"event-{event.uid}@ipeg-events"


def _location(event):
    venue = event.venue
    parts = [venue.name, venue.address, venue.city, venue.get_economy_display()]
    return ", ".join(part for part in parts if part)


def event_vevent(event, *, status=None):
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", event.updated_at.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(event.tz))
    vevent.add("dtend", event.ends_at.astimezone(event.tz))
    vevent.add("summary", event.title)
    vevent.add("location", _location(event))
    url = f"{settings.SITE_URL}{event.get_absolute_url()}"
    vevent.add("url", url)
    vevent.add("description", f"{plain_text(event.description)}\n\nAgenda: {url}agenda/".strip())
    vevent.add("categories", [event.get_kind_display()])
    vevent.add("sequence", event.sequence)
    if status is None:
        status = "CANCELLED" if event.status == event.Status.CANCELLED else "CONFIRMED"
    vevent.add("status", status)
    return vevent


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
    calendar.add_missing_timezones()
    return calendar.to_ical()
