"""The one-tap calendar links (events/calendar_links.py): exact URLs, times in
UTC with Z, whole days as dates, text percent-encoded, and the menus on pages."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from events import calendar_links, services
from events.calendar_links import add_links, subscribe_links

from ..factories import add_item, make_event, make_user, make_venue

AUCKLAND = ZoneInfo("Pacific/Auckland")


def _links(**extra):
    start = datetime(2031, 3, 3, 14, 5, tzinfo=AUCKLAND)  # NZDT, UTC+13
    params = {
        "title": 'Design & "TM" + more',
        "starts_at": start,
        "ends_at": start + timedelta(minutes=90),
        "zone": AUCKLAND,
        "details": "Line one\nLine two: 100% ours",
        "location": "Te Papa, Wellington, New Zealand",
        "url": "https://events.example/events/nz/",
        "ics_url": "https://events.example/events/nz/event.ics",
    }
    params.update(extra)
    return {link.label: link.url for link in add_links(**params)}


def test_google_link_is_exact_with_utc_times_and_percent_encoded_text():
    assert _links()["Google Calendar"] == (
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
        "&text=Design%20%26%20%22TM%22%20%2B%20more"
        "&dates=20310303T010500Z/20310303T023500Z"
        "&details=Line%20one%0ALine%20two%3A%20100%25%20ours%0A%0Ahttps%3A%2F%2Fevents.example%2Fevents%2Fnz%2F"
        "&location=Te%20Papa%2C%20Wellington%2C%20New%20Zealand"
        "&ctz=Pacific%2FAuckland"
    )


def test_outlook_and_microsoft_365_links_are_exact_and_differ_only_in_host():
    links = _links()
    expected_query = (
        "path=%2Fcalendar%2Faction%2Fcompose&rru=addevent"
        "&subject=Design%20%26%20%22TM%22%20%2B%20more"
        "&startdt=2031-03-03T01%3A05%3A00Z&enddt=2031-03-03T02%3A35%3A00Z&allday=false"
        "&body=Line%20one%0ALine%20two%3A%20100%25%20ours%0A%0Ahttps%3A%2F%2Fevents.example%2Fevents%2Fnz%2F"
        "&location=Te%20Papa%2C%20Wellington%2C%20New%20Zealand"
    )
    assert links["Outlook.com"] == "https://outlook.live.com/calendar/0/action/compose?" + expected_query
    assert links["Microsoft 365 (work or school)"] == (
        "https://outlook.office.com/calendar/0/action/compose?" + expected_query
    )
    # No "+" for a space anywhere: Outlook would show it as a plus sign.
    assert all("+" not in url for url in links.values())
    assert links["Apple Calendar and others (.ics file)"] == "https://events.example/events/nz/event.ics"


def test_times_are_utc_either_side_of_a_daylight_saving_change():
    # Auckland leaves daylight saving on 6 April 2031: 09:00 is UTC-13 before, UTC-12 after.
    before = _links(
        starts_at=datetime(2031, 4, 5, 9, 0, tzinfo=AUCKLAND), ends_at=datetime(2031, 4, 5, 10, 0, tzinfo=AUCKLAND)
    )
    after = _links(
        starts_at=datetime(2031, 4, 7, 9, 0, tzinfo=AUCKLAND), ends_at=datetime(2031, 4, 7, 10, 0, tzinfo=AUCKLAND)
    )
    assert "dates=20310404T200000Z/20310404T210000Z" in before["Google Calendar"]
    assert "dates=20310406T210000Z/20310406T220000Z" in after["Google Calendar"]
    assert "startdt=2031-04-06T21%3A00%3A00Z" in after["Outlook.com"]


def test_whole_local_days_go_out_as_dates_with_the_end_exclusive():
    links = _links(
        starts_at=datetime(2031, 3, 3, 0, 0, tzinfo=AUCKLAND), ends_at=datetime(2031, 3, 5, 0, 0, tzinfo=AUCKLAND)
    )
    assert "&dates=20310303/20310305&" in links["Google Calendar"]
    query = parse_qs(urlsplit(links["Outlook.com"]).query)
    assert query["startdt"] == ["2031-03-03"] and query["enddt"] == ["2031-03-05"] and query["allday"] == ["true"]


def test_long_descriptions_are_shortened_but_keep_the_page_link():
    links = _links(details="x" * 5000)
    details = parse_qs(urlsplit(links["Google Calendar"]).query)["details"][0]
    assert len(details) < calendar_links.MAX_DETAILS + 100
    assert details.endswith("…\n\nhttps://events.example/events/nz/")


def test_subscribe_links_are_exact():
    links = {
        link.label: link.url for link in subscribe_links("https://events.example/events/feed.ics", "IPEG: all events")
    }
    assert links == {
        "Google Calendar": "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fevents.example%2Fevents%2Ffeed.ics",
        "Outlook.com": "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fevents.example%2Fevents%2Ffeed.ics&name=IPEG%3A%20all%20events",
        "Microsoft 365 (work or school)": "https://outlook.office.com/calendar/0/addfromweb?url=https%3A%2F%2Fevents.example%2Fevents%2Ffeed.ics&name=IPEG%3A%20all%20events",
        "Apple Calendar, Outlook desktop, Thunderbird (webcal)": "webcal://events.example/events/feed.ics",
        "Feed address (.ics)": "https://events.example/events/feed.ics",
    }  # fmt: skip


@pytest.fixture
def nz_event(db):
    venue = make_venue("Pacific/Auckland", city="Wellington")
    start = datetime(2031, 3, 3, 9, 0, tzinfo=AUCKLAND)
    event = make_event("nz-workshop", venue=venue, starts_at=start, ends_at=start + timedelta(hours=8),
                       title="Design <workshop>", description="**Bold** & plain")  # fmt: skip
    add_item(event, "Opening <session>", datetime(2031, 3, 3, 9, 0), room="Room 1")
    organiser = make_user("organiser@example.org", staff=True)
    services.publish_agenda(event, actor=organiser)
    event.refresh_from_db()
    return event


@override_settings(SITE_URL="https://events.example")
def test_event_and_session_links_use_the_site_address_and_plain_text(nz_event):
    event_links = {link.label: link.url for link in calendar_links.event_links(nz_event)}
    google = parse_qs(urlsplit(event_links["Google Calendar"]).query)
    assert google["text"] == ["Design <workshop>"]
    assert google["details"] == ["Bold & plain\n\nhttps://events.example/events/nz-workshop/"]
    assert google["dates"] == ["20310302T200000Z/20310303T040000Z"]
    assert event_links["Apple Calendar and others (.ics file)"] == "https://events.example/events/nz-workshop/event.ics"
    item = nz_event.current_version.items.get()
    item_links = {link.label: link.url for link in calendar_links.item_links(nz_event, item)}
    query = parse_qs(urlsplit(item_links["Microsoft 365 (work or school)"]).query)
    assert query["subject"] == ["Opening <session> (Design <workshop>)"]
    assert query["location"][0].startswith("Room 1, Venue in Wellington")
    assert item_links["Apple Calendar and others (.ics file)"] == (
        f"https://events.example/events/nz-workshop/agenda/items/{item.uid}.ics"
    )


def test_event_page_has_the_add_to_calendar_menu_and_agenda_subscription(client, nz_event):
    page = client.get("/events/nz-workshop/").content.decode()
    menu = page[page.index('<details class="calendar-menu add-to-calendar">') :]
    menu = menu[: menu.index("</details>")]
    assert "<summary>Add to calendar" in menu
    for label in (
        "Google Calendar",
        "Outlook.com",
        "Microsoft 365 (work or school)",
        "Apple Calendar and others (.ics file)",
    ):
        assert f">{label}</a>" in menu
    # Titles are escaped in the HTML, encoded in the links.
    assert "Design%20%3Cworkshop%3E" in menu and "<workshop>" not in menu
    assert "Subscribe to the agenda" in page
    assert "webcal://" in page and "%2Fevents%2Fnz-workshop%2Fagenda.ics" in page


def test_events_list_links_the_all_events_feed(client, nz_event):
    page = client.get("/events/").content.decode()
    assert "Subscribe to all events in your calendar" in page
    assert 'href="webcal://' in page and '/events/feed.ics"' in page
    assert "addfromweb?url=" in page


def test_agenda_page_offers_subscription_to_its_feed(client, nz_event):
    page = client.get("/events/nz-workshop/agenda/").content.decode()
    assert "Subscribe to this agenda" in page
    assert "outlook.office.com/calendar/0/addfromweb?url=" in page
