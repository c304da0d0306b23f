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

from .text import html_to_text, plain_text

GOOGLE_ADD = "https://calendar.google.com/calendar/render"
OUTLOOK_COM_ADD = "https://outlook.live.com/calendar/0/action/compose"
MICROSOFT_365_ADD = "https://outlook.office.com/calendar/0/action/compose"
OUTLOOK_COM_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb"
MICROSOFT_365_SUBSCRIBE = "https://outlook.office.com/calendar/0/addfromweb"

# Google and Outlook refuse or cut very long links; a description beyond this
# is shortened (the event page link stays at its end).
MAX_DETAILS = 1000
# A session's web links carry only the start of its description and a link to
# the session on the agenda (calendar sites cut long links). The .ics download
# keeps the whole description.
SESSION_EXCERPT = 140


# The labels of the four "Add to calendar" links, in their order.
GOOGLE = "Google Calendar"
OUTLOOK_COM = "Outlook.com"
MICROSOFT_365 = "Microsoft 365 (work or school)"
ICS_FILE = "Apple Calendar and others (.ics file)"

# The short link of a session's web calendar (events:item_calendar_link, its
# <provider> part) and the place of that calendar's link in ItemLinks' list.
PROVIDERS = {"google": 0, "outlook": 1, "office365": 2}


@dataclass(frozen=True)
class CalendarLink:
    label: str
    url: str
    # Says what the link does to people who cannot see where it points.
    hint: str = ""


def _q(value):
    """Percent-encoded, every reserved character included, spaces as %20."""
    return quote(value, safe="")


def _query(params):
    return "&".join(f"{key}={_q(str(value))}" for key, value in params.items())


def _utc(dt):
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _utc_iso_quoted(compact):
    # _utc's 20310303T010500Z as 2031-03-03T01:05:00Z, the colons percent-encoded as _q does.
    return f"{compact[:4]}-{compact[4:6]}-{compact[6:11]}%3A{compact[11:13]}%3A{compact[13:]}"


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


def excerpt(text, limit=SESSION_EXCERPT):
    """At most ``limit`` characters of ``text`` on one line, cut at a word
    boundary (inside a word only when the first word is longer) with "…"
    when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    space = head.rfind(" ")
    head = head[:space] if space > 0 else text[:limit]
    return head.rstrip(" ,;:.-–—") + "…"


def _times(starts_at, ends_at, zone):
    """Google's ``dates`` value and Outlook's start, end and all-day
    parameters, both ready to put in a query (Google's own links keep the
    slash between its two times as it is)."""
    days = whole_days(starts_at, ends_at, zone)
    if days:
        first, after_last = days
        return f"{first:%Y%m%d}/{after_last:%Y%m%d}", f"startdt={first}&enddt={after_last}&allday=true"
    start, end = _utc(starts_at), _utc(ends_at)
    return f"{start}/{end}", f"startdt={_utc_iso_quoted(start)}&enddt={_utc_iso_quoted(end)}&allday=false"


def _encoded_add_links(title, times, details, location, ctz, ics_url):
    """The four "Add to calendar" links from parts already percent-encoded
    (``times`` as _times gives them): each text is encoded once and shared by
    the Google and the two Outlook links."""
    google_dates, outlook_times = times
    google = (
        f"{GOOGLE_ADD}?action=TEMPLATE&text={title}&dates={google_dates}"
        f"&details={details}&location={location}&ctz={ctz}"
    )
    outlook = (
        f"path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={title}&{outlook_times}"
        f"&body={details}&location={location}"
    )
    return [
        CalendarLink(GOOGLE, google),
        CalendarLink(OUTLOOK_COM, f"{OUTLOOK_COM_ADD}?{outlook}"),
        CalendarLink(MICROSOFT_365, f"{MICROSOFT_365_ADD}?{outlook}"),
        CalendarLink(ICS_FILE, ics_url),
    ]


def add_links(*, title, starts_at, ends_at, zone, details="", location="", url="", ics_url):
    """The "Add to calendar" links for one entry. ``zone`` is the venue's
    ZoneInfo (used for whole-day events and as Google's display zone);
    ``url`` the page of the entry, appended to the details; ``ics_url`` the
    absolute address of its .ics download."""
    return _encoded_add_links(
        _q(str(title)),
        _times(starts_at, ends_at, zone),
        _q(_details(details, url)),
        _q(str(location)),
        _q(zone.key),
        ics_url,
    )


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


class ItemLinks:
    """ "Add to calendar" for the sessions of one event, as ``item_links``
    gives them, with what every session shares worked out once: the agenda's
    address, the .ics address around the session's uid (one reverse(), not
    one per session), the event's title and zone, each room's location, all
    percent-encoded. Per session only its title, times and a short text are
    formatted.

    The three web links carry in their details the first SESSION_EXCERPT
    characters of the description and the session's place on the agenda
    (its ``#item-<uid>`` anchor), not the whole description. The .ics keeps
    it all. The agenda and My agenda do not carry these links but short ones
    that redirect to them (ItemMenuLinks).

        links = ItemLinks(event)  # the event's venue loaded
        links(item)  # -> [CalendarLink, ...]
    """

    _UID = "00000000-0000-0000-0000-000000000000"

    def __init__(self, event, agenda_path=None):
        self.event = event
        event.venue  # loaded here if it was not, so no session asks for it  # noqa: B018
        agenda_url = _site(agenda_path or reverse("events:agenda", args=[event.slug]))
        self.agenda_url = agenda_url
        self.encoded_anchor_before = _q(f"{agenda_url}#item-")
        self.title_suffix = f" ({event.title})"
        self.zone = event.tz
        self.ctz = _q(self.zone.key)
        self.ics_before, self.ics_after = _site(reverse("events:item_ics", args=[event.slug, self._UID])).split(
            self._UID
        )
        self._locations = {}

    def location(self, room):
        encoded = self._locations.get(room)
        if encoded is None:
            encoded = self._locations[room] = _q(_location(self.event, room))
        return encoded

    def session_url(self, item):
        """The session on the agenda page (the row's id in _agenda_days.html)."""
        return f"{self.agenda_url}#item-{item.uid}"

    def details(self, item):
        """The details text of the session's web links, percent-encoded."""
        anchor = f"{self.encoded_anchor_before}{item.uid}"
        if not item.description_html:
            return anchor
        text = excerpt(html_to_text(item.description_html))
        return f"{_q(text)}%0A%0A{anchor}" if text else anchor

    def __call__(self, item):
        return _encoded_add_links(
            _q(item.title + self.title_suffix),
            _times(item.starts_at, item.ends_at, self.zone),
            self.details(item),
            self.location(item.room),
            self.ctz,
            f"{self.ics_before}{item.uid}{self.ics_after}",
        )


def item_links(event, item, agenda_path=None):
    """ "Add to calendar" for one published session, each web link straight
    to its calendar site (the session's own calendar page and
    {% add_to_calendar event item %})."""
    return ItemLinks(event, agenda_path)(item)


def item_provider_url(event, item, provider):
    """Where the session's short link for ``provider`` (a key of PROVIDERS)
    sends the reader: exactly the link item_links gives for that calendar."""
    return ItemLinks(event)(item)[PROVIDERS[provider]].url


class ItemMenuLinks:
    """The "Add to calendar" menu beside each session of the agenda and of
    My agenda: four short links on this site, root-relative, one per web
    calendar (events:item_calendar_link, which answers 302 to the long link
    ItemLinks builds) and the session's .ics. The long links beside every
    session made the cached 2,000-session agenda 7.92 MB where it was 2.85 MB
    without them; these are about 100 bytes each.

    The addresses are formatted around the session's uid from one reverse()
    per link for the whole agenda, none per session.

        links = ItemMenuLinks(event.slug)
        links(item)  # -> [CalendarLink, ...]
    """

    _UID = ItemLinks._UID

    def __init__(self, slug):
        paths = [
            (label, reverse("events:item_calendar_link", args=[slug, self._UID, provider]))
            for label, provider in zip((GOOGLE, OUTLOOK_COM, MICROSOFT_365), PROVIDERS, strict=True)
        ]
        paths.append((ICS_FILE, reverse("events:item_ics", args=[slug, self._UID])))
        self._around = [(label, *path.split(self._UID)) for label, path in paths]

    def __call__(self, item):
        uid = item.uid
        return [CalendarLink(label, f"{before}{uid}{after}") for label, before, after in self._around]


def agenda_subscribe_links(event):
    return subscribe_links(_site(reverse("events:agenda_feed", args=[event.slug])), f"{event.title} (agenda)")


def all_events_subscribe_links():
    return subscribe_links(_site(reverse("events:feed")), f"{settings.SITE_NAME}: all events")


def personal_subscribe_links(feed_url):
    return subscribe_links(feed_url, f"{settings.SITE_NAME}: my events")
