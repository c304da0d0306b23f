"""Every feed and single-event download read by three parsers: python
icalendar, Mozilla's ical.js (Thunderbird and many web calendars) and the
strict `ical` package, whose times here come from the file's own VTIMEZONE.
All three must give the instants we stored, for calendars spanning years,
across daylight-saving changes in both hemispheres and in a zone without
them. ical.js once read only the first value of a multi-value RDATE, which
put the last of several Auckland workshops an hour off."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from events import services
from registrations import calendar_feed
from registrations import services as registrations

from ..factories import add_item, make_event, make_venue

pytestmark = pytest.mark.django_db

# Each pair straddles a change of the zone's offset (or, for Kuala Lumpur, would
# if it had one): (start, end) in the venue's wall time.
SPANS = {
    "Pacific/Auckland": [
        ((2031, 4, 5, 9), (2031, 4, 7, 17)),  # NZDT ends 6 April 2031
        ((2033, 1, 15, 9), (2033, 1, 15, 17)),
        ((2034, 9, 23, 9), (2034, 9, 25, 17)),  # NZDT starts 24 September 2034, three years on
    ],
    "America/Santiago": [((2032, 4, 3, 9), (2032, 4, 5, 17))],  # summer time ends 4 April 2032
    "Australia/Sydney": [((2032, 10, 2, 9), (2032, 10, 4, 17))],  # AEDT starts 3 October 2032
    "Asia/Kuala_Lumpur": [((2033, 6, 1, 9), (2033, 6, 2, 17))],
}


@pytest.fixture
def years_of_events(organiser, subscriber):
    events = []
    for zone_name, spans in SPANS.items():
        zone = ZoneInfo(zone_name)
        venue = make_venue(zone_name, zone_name.split("/")[1].replace("_", " "))
        for start, end in spans:
            event = make_event(
                f"{venue.city.lower().replace(' ', '-')}-{start[0]}-{start[1]}",
                venue=venue,
                starts_at=datetime(*start, tzinfo=zone),
                ends_at=datetime(*end, tzinfo=zone),
                organisers=[organiser],
            )
            add_item(event, "Before the change", datetime(*start).replace(hour=10))
            add_item(event, "After the change", datetime(*end).replace(hour=10))
            services.publish_agenda(event, actor=organiser)
            registrations.register(event, subscriber)
            events.append(event)
    return events


def expected_instants(events):
    instants = {}
    for event in events:
        instants[f"event-{event.uid}@ipeg-events"] = (event.starts_at, event.ends_at)
        for item in event.draft_items.all():
            instants[f"item-{item.uid}@ipeg-events"] = (item.starts_at, item.ends_at)
    return {uid: tuple(moment.astimezone(UTC) for moment in pair) for uid, pair in instants.items()}


def read_with_icalendar(body):
    calendar = Calendar.from_ical(body)
    return {
        str(vevent["uid"]): (vevent.decoded("dtstart").astimezone(UTC), vevent.decoded("dtend").astimezone(UTC))
        for vevent in calendar.walk("VEVENT")
    }


def read_with_strict_parser(body):
    """The `ical` package refuses anything outside RFC 5545; its times are
    worked out here from the VTIMEZONE the file carries, as a client without a
    zone database of its own would."""
    from ical.calendar_stream import IcsCalendarStream
    from ical.timezone import IcsTimezoneInfo

    calendar = IcsCalendarStream.calendar_from_ics(body.decode())
    zones = {zone.tz_id: IcsTimezoneInfo.from_timezone(zone) for zone in calendar.timezones}

    def instant(moment):
        local = moment.replace(tzinfo=zones[moment.tzinfo.key]) if moment.tzinfo is not UTC else moment
        return local.astimezone(UTC)

    return {event.uid: (instant(event.dtstart), instant(event.dtend)) for event in calendar.events}


def read_with_ical_js(ical_js, tmp_path, name, body):
    parsed = ical_js(tmp_path, **{name: body})[name]
    return {
        event["uid"]: tuple(datetime.fromisoformat(event[key].replace("Z", "+00:00")) for key in ("start", "end"))
        for event in parsed["events"]
    }


def test_every_feed_reads_the_same_instants_in_three_parsers(client, tmp_path, ical_js, years_of_events, subscriber):
    expected = expected_instants(years_of_events)
    feeds = {
        "all-events": "/events/feed.ics",
        "personal": f"/calendar/{calendar_feed.regenerate(subscriber)}.ics",
    }
    for event in years_of_events:
        feeds[f"agenda-{event.slug}"] = f"/events/{event.slug}/agenda.ics"
        feeds[f"event-{event.slug}"] = f"/events/{event.slug}/event.ics"
        item = event.draft_items.order_by("starts_at").last()
        feeds[f"item-{item.uid}"] = f"/events/{event.slug}/agenda/items/{item.uid}.ics"

    checked = set()
    for name, path in feeds.items():
        body = client.get(path).content
        readings = {
            "icalendar": read_with_icalendar(body),
            "ical.js": read_with_ical_js(ical_js, tmp_path, name, body),
            "ical (strict)": read_with_strict_parser(body),
        }
        for parser, instants in readings.items():
            assert instants, f"{parser} found no events in {name}"
            for uid, pair in instants.items():
                assert pair == expected[uid], f"{parser} reads {uid} in {name} as {pair}, stored {expected[uid]}"
            checked |= set(instants)
    assert checked == set(expected)


def test_the_all_events_feed_spans_three_years_in_one_zone(client, years_of_events):
    calendar = Calendar.from_ical(client.get("/events/feed.ics").content)
    auckland = [
        vevent.decoded("dtstart")
        for vevent in calendar.walk("VEVENT")
        if vevent["dtstart"].params.get("TZID") == "Pacific/Auckland"
    ]
    assert max(auckland).year - min(auckland).year == 3


def test_each_zone_change_is_its_own_rdate_line(client, years_of_events):
    """One value per RDATE line: readers that take only the first value of a
    list (ical.js) then still see every change."""
    body = client.get("/events/feed.ics").content.decode()
    rdates = [line for line in body.splitlines() if line.startswith("RDATE")]
    assert rdates and all("," not in line for line in rdates)
