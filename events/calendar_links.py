"""One-tap calendar links: "Add to calendar" for one event or session, and
"Subscribe" for a feed, for Google Calendar, Outlook.com, Microsoft 365 and
everything else (an .ics download or a webcal:// subscription).

Every URL is built here and nowhere else. Times go out in UTC with a Z, so no
client has to guess a zone; whole-day events go out as dates (the end date is
the day after the last, as iCalendar and Google count). Text is
percent-encoded with %20 for spaces: Outlook's compose page shows a "+" as a
plus sign."""

from dataclasses import dataclass
from datetime import UTC, time
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from .text import plain_text

GOOGLE_ADD = "https://calendar.google.com/calendar/render"
OUTLOOK_COM_ADD = "https://outlook.live.com/calendar/0/action/compose"
MICROSOFT_365_ADD = "https://outlook.office.com/calendar/0/action/compose"
OUTLOOK_COM_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb"
MICROSOFT_365_SUBSCRIBE = "https://outlook.office.com/calendar/0/addfromweb"

# Google and Outlook refuse or cut very long links; a description beyond this
# is shortened (the event page link stays at its end).
MAX_DETAILS = 1000


@dataclass(frozen=True)
class CalendarLink:
    label: str
    url: str
    # Says what the link does to people who cannot see where it points.
    hint: str = ""


def _query(params):
    """Every value percent-encoded (spaces as %20), but for the slash between
    Google's two times, which its own links keep as it is."""
    return "&".join(f"{key}={quote(str(value), safe='/' if key == 'dates' else '')}" for key, value in params.items())


def _utc(dt):
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _utc_iso(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def whole_days(starts_at, ends_at, zone):
    """(first day, day after the last) when the span is whole local days, else None."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.time() == time(0) and end.time() == time(0) and end.date() > start.date():
        return start.date(), end.date()
    return None


def _details(text, url):
    text = (text or "").strip()
    if len(text) > MAX_DETAILS:
        text = text[: MAX_DETAILS - 1].rstrip() + "…"
    return "\n\n".join(part for part in (text, url) if part)


def add_links(*, title, starts_at, ends_at, zone, details="", location="", url="", ics_url):
    """The "Add to calendar" links for one entry. ``zone`` is the venue's
    ZoneInfo (used for whole-day events and as Google's display zone);
    ``url`` the page of the entry, appended to the details; ``ics_url`` the
    absolute address of its .ics download."""
    text = _details(details, url)
    days = whole_days(starts_at, ends_at, zone)
    if days:
        first, after_last = days
        google_dates = f"{first:%Y%m%d}/{after_last:%Y%m%d}"
        outlook_times = {"startdt": first.isoformat(), "enddt": after_last.isoformat(), "allday": "true"}
    else:
        google_dates = f"{_utc(starts_at)}/{_utc(ends_at)}"
        outlook_times = {"startdt": _utc_iso(starts_at), "enddt": _utc_iso(ends_at), "allday": "false"}
    google = {"action": "TEMPLATE", "text": title, "dates": google_dates, "details": text, "location": location}
    google["ctz"] = zone.key
    outlook = {"path": "/calendar/action/compose", "rru": "addevent", "subject": title, **outlook_times}
    outlook.update({"body": text, "location": location})
    return [
        CalendarLink("Google Calendar", f"{GOOGLE_ADD}?{_query(google)}"),
        CalendarLink("Outlook.com", f"{OUTLOOK_COM_ADD}?{_query(outlook)}"),
        CalendarLink("Microsoft 365 (work or school)", f"{MICROSOFT_365_ADD}?{_query(outlook)}"),
        CalendarLink("Apple Calendar and others (.ics file)", ics_url),
    ]


def webcal(url):
    return "webcal://" + url.split("://", 1)[1]


def subscribe_links(feed_url, name):
    """The "Subscribe" links for a feed at ``feed_url`` (absolute, https or
    http): calendars that subscribe poll it and follow every change."""
    webcal_url = webcal(feed_url)
    outlook = _query({"url": feed_url, "name": name})
    return [
        CalendarLink("Google Calendar", f"{GOOGLE_ADD}?{_query({'cid': webcal_url})}"),
        CalendarLink("Outlook.com", f"{OUTLOOK_COM_SUBSCRIBE}?{outlook}"),
        CalendarLink("Microsoft 365 (work or school)", f"{MICROSOFT_365_SUBSCRIBE}?{outlook}"),
        CalendarLink("Apple Calendar, Outlook desktop, Thunderbird (webcal)", webcal_url),
        CalendarLink("Feed address (.ics)", feed_url, hint="for calendars that ask for an address"),
    ]


def _site(path):
    return f"{settings.SITE_URL}{path}"


def _location(event, room=""):
    venue = event.venue
    parts = [room, venue.name, venue.address, venue.city, venue.get_economy_display()]
    return ", ".join(part for part in parts if part)


def event_links(event):
    """ "Add to calendar" for a whole event (its venue must be loaded)."""
    return add_links(
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        zone=event.tz,
        details=plain_text(event.description),
        location=_location(event),
        url=_site(event.get_absolute_url()),
        ics_url=_site(reverse("events:event_ics", args=[event.slug])),
    )


def item_links(event, item, agenda_path=None):
    """ "Add to calendar" for one published session. The same for every
    reader, so it may sit in the shared, cached agenda HTML."""
    agenda_path = agenda_path or reverse("events:agenda", args=[event.slug])
    return add_links(
        title=f"{item.title} ({event.title})",
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        zone=event.tz,
        details=plain_text(item.description),
        location=_location(event, item.room),
        url=_site(agenda_path),
        ics_url=_site(reverse("events:item_ics", args=[event.slug, item.uid])),
    )


def agenda_subscribe_links(event):
    return subscribe_links(_site(reverse("events:agenda_feed", args=[event.slug])), f"{event.title} (agenda)")


def all_events_subscribe_links():
    return subscribe_links(_site(reverse("events:feed")), f"{settings.SITE_NAME}: all events")


def personal_subscribe_links(feed_url):
    return subscribe_links(feed_url, f"{settings.SITE_NAME}: my events")
