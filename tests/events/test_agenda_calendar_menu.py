"""The "Add to calendar" menu beside every session of the agenda (issue 13,
item 2): a <details> list of the four links, in the shared cached HTML, each
with that session's own times and title, the same links as
{% add_to_calendar event item %} and the session's own calendar page give."""

import html
import re
from datetime import UTC, datetime
from unittest import mock
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from events import calendar_links, services
from events.calendar_links import SESSION_EXCERPT, ItemLinks, add_links, excerpt
from events.templatetags.calendar_links import add_to_calendar
from events.text import plain_text

from ..factories import add_item

pytestmark = pytest.mark.django_db

CALENDARS = [
    "Google Calendar",
    "Outlook.com",
    "Microsoft 365 (work or school)",
    "Apple Calendar and others (.ics file)",
]
TRICKY = 'Design & "TM" + <more> é/ü 100%'


@pytest.fixture
def published(event, organiser):
    add_item(event, "Opening", datetime(2031, 3, 3, 9, 0), room="Hall A", description="**Welcome** & coffee")
    add_item(event, TRICKY, datetime(2031, 3, 3, 10, 15), minutes=75, room="Room <2>")
    add_item(event, "Day two", datetime(2031, 3, 4, 0, 0), minutes=24 * 60)  # a whole local day
    services.publish_agenda(event, actor=organiser)
    event.refresh_from_db()
    return event


def _menus(page):
    """{item uid: (summary text, [(label, href), ...])} of the agenda page's session menus."""
    menus = {}
    for row in re.findall(r'<tr class="kind-[^"]*" id="item-([0-9a-f-]{36})">(.*?)</tr>', page, re.DOTALL):
        uid, cells = row
        (menu,) = re.findall(r'<details class="calendar-menu add-to-calendar[^"]*">(.*?)</details>', cells, re.DOTALL)
        summary = re.search(r"<summary>(.*?)</summary>", menu, re.DOTALL).group(1)
        links = [
            (label, html.unescape(href)) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)
        ]
        menus[uid] = (summary, links)
    return menus


def _query(url):
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


@override_settings(SITE_URL="https://events.example")
def test_every_session_has_the_four_links_with_its_own_times_and_title(client, published):
    page = client.get(f"/events/{published.slug}/agenda/").content.decode()
    menus = _menus(page)
    items = list(published.current_version.items.order_by("starts_at"))
    assert list(menus) == [str(item.uid) for item in items]
    for item in items:
        summary, links = menus[str(item.uid)]
        assert summary == f'Add to calendar<span class="visually-hidden">: {html.escape(item.title)}</span>'
        assert [label for label, _ in links] == CALENDARS
        urls = dict(links)
        google, outlook, microsoft = (_query(urls[label]) for label in CALENDARS[:3])
        assert google["text"] == outlook["subject"] == [f"{item.title} ({published.title})"]
        if item.title == "Day two":  # a whole day goes out as dates, the end the day after
            assert google["dates"] == ["20310304/20310305"]
            assert outlook["startdt"] == ["2031-03-04"] and outlook["allday"] == ["true"]
        else:
            start, end = item.starts_at.astimezone(UTC), item.ends_at.astimezone(UTC)
            assert google["dates"] == [f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"]
            assert outlook["startdt"] == [f"{start:%Y-%m-%dT%H:%M:%SZ}"]
            assert outlook["enddt"] == [f"{end:%Y-%m-%dT%H:%M:%SZ}"] and outlook["allday"] == ["false"]
        assert microsoft == outlook
        assert urls[CALENDARS[3]] == f"https://events.example/events/{published.slug}/agenda/items/{item.uid}.ics"
        # Exactly what the tag gives for this session on any other page.
        assert links == [(link.label, link.url) for link in add_to_calendar(published, item)["links"]]

    tricky = next(item for item in items if item.title == TRICKY)
    _, links = menus[str(tricky.uid)]
    google, outlook = dict(links)[CALENDARS[0]], dict(links)[CALENDARS[1]]
    # Percent-encoded with %20 for spaces, never "+", and escaped once more in the HTML.
    encoded = quote(f"{TRICKY} (Nz Workshop)", safe="")
    assert f"&text={encoded}&dates=20310302T211500Z/20310302T223000Z&" in google
    assert f"&subject={encoded}&startdt=2031-03-02T21%3A15%3A00Z&enddt=2031-03-02T22%3A30%3A00Z&" in outlook
    assert "+" not in google.split("?", 1)[1]
    assert "location=Room%20%3C2%3E%2C%20" in google
    assert f'href="{html.escape(google)}"' in page and "<more>" not in page.replace("&lt;more&gt;", "")
    # Calendar sites open in a new context without our page as referrer; the .ics download is ours.
    rows = "".join(re.findall(r'<tr class="kind-.*?</tr>', page, re.DOTALL))
    for label in CALENDARS[:3]:
        assert rows.count(f'rel="noopener noreferrer">{label}</a>') == 3
    assert rows.count('.ics">Apple Calendar and others (.ics file)</a>') == 3


@override_settings(SITE_URL="https://events.example")
def test_item_links_are_the_generic_links_built_from_the_session(published):
    """ItemLinks works out the event's parts once; what it gives must not
    differ from add_links fed with every part of one session."""
    links = ItemLinks(published)
    for item in published.current_version.items.all():
        venue = published.venue
        location = ", ".join(
            p for p in (item.room, venue.name, venue.address, venue.city, venue.get_economy_display()) if p
        )
        expected = add_links(
            title=f"{item.title} ({published.title})",
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            zone=published.tz,
            details=excerpt(plain_text(item.description)),
            location=location,
            url="https://events.example" + reverse("events:agenda", args=[published.slug]) + f"#item-{item.uid}",
            ics_url="https://events.example" + reverse("events:item_ics", args=[published.slug, item.uid]),
        )
        assert links(item) == expected == calendar_links.item_links(published, item)
    opening = published.current_version.items.get(title="Opening")
    details = _query(links(opening)[0].url)["details"]
    assert details == [f"Welcome & coffee\n\nhttps://events.example/events/nz-workshop/agenda/#item-{opening.uid}"]


LONG = (
    "Delegates **review** the draft work programme line by line, agree which projects go forward to "
    "the ministers' meeting in May and which wait for the next cycle; the secretariat then circulates "
    "the revised text.\n\nSecond paragraph, never in the links."
)


@override_settings(SITE_URL="https://events.example")
def test_a_long_description_is_cut_in_the_web_links_and_whole_in_the_ics(client, event, organiser):
    """The web links beside every session carry the start of its description,
    cut at a word with "…", and the link to the session on the agenda; the
    .ics download keeps the whole description."""
    add_item(event, "Work programme", datetime(2031, 3, 3, 9, 0), description=LONG)
    services.publish_agenda(event, actor=organiser)
    event.refresh_from_db()
    item = event.current_version.items.get()
    session_url = f"https://events.example/events/{event.slug}/agenda/#item-{item.uid}"
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert f'id="item-{item.uid}"' in page  # the anchor the links point at
    (_, links) = _menus(page)[str(item.uid)]
    assert links == [(link.label, link.url) for link in add_to_calendar(event, item)["links"]]
    google, outlook, microsoft = (_query(dict(links)[label]) for label in CALENDARS[:3])
    (details,) = google["details"]
    assert outlook["body"] == microsoft["body"] == [details]
    text, url = details.split("\n\n")
    assert url == session_url
    assert text == (
        "Delegates review the draft work programme line by line, agree which projects go forward "
        "to the ministers' meeting in May and which wait for…"
    )
    assert len(text) <= SESSION_EXCERPT + 1 and "Second paragraph" not in details
    ics = client.get(dict(links)[CALENDARS[3]].removeprefix("https://events.example")).content.decode()
    unfolded = ics.replace("\r\n ", "")
    assert "the secretariat then circulates the revised text." in unfolded and "Second paragraph" in unfolded


def test_the_excerpt_cuts_at_a_word_and_only_when_it_must():
    assert excerpt("  Short   text\n\nin two  paragraphs ") == "Short text in two paragraphs"
    assert excerpt("x" * SESSION_EXCERPT) == "x" * SESSION_EXCERPT
    assert excerpt("word " * 40) == ("word " * 28).strip() + "…"  # 139 characters, then "…"
    assert excerpt("Ends a sentence. " + "y" * 200) == "Ends a sentence…"
    assert excerpt("z" * 300) == "z" * SESSION_EXCERPT + "…"  # one word longer than the limit


@override_settings(SITE_URL="https://events.example")
def test_a_session_without_description_links_only_to_itself(published):
    day_two = published.current_version.items.get(title="Day two")
    details = _query(ItemLinks(published)(day_two)[0].url)["details"]
    assert details == [f"https://events.example/events/nz-workshop/agenda/#item-{day_two.uid}"]


def test_times_go_out_in_utc_either_side_of_a_clock_change(event, organiser):
    # Auckland leaves daylight saving on 6 April 2031: 09:00 is UTC+13 before, UTC+12 after.
    add_item(event, "Before", datetime(2031, 4, 5, 9, 0))
    add_item(event, "After", datetime(2031, 4, 7, 9, 0))
    services.publish_agenda(event, actor=organiser)
    event.refresh_from_db()
    links = ItemLinks(event)
    before, after = (links(event.current_version.items.get(title=title)) for title in ("Before", "After"))
    assert "&dates=20310404T200000Z/20310404T203000Z&" in before[0].url
    assert "&startdt=2031-04-06T21%3A00%3A00Z&enddt=2031-04-06T21%3A30%3A00Z&" in after[1].url


def test_the_menus_are_in_the_cached_html_and_the_old_session_page_still_works(client, published):
    first = client.get(f"/events/{published.slug}/agenda/").content
    assert client.get(f"/events/{published.slug}/agenda/").content == first
    assert first.decode().count('<details class="calendar-menu add-to-calendar') == 3
    item = published.current_version.items.get(title="Opening")
    # Links to the session's own page, sent before the menu was inline, keep working.
    page = client.get(reverse("events:item_calendar", args=[published.slug, item.uid])).content.decode()
    assert "Add “Opening” to your calendar" in page
    for link in calendar_links.item_links(published, item):
        assert f'href="{html.escape(link.url)}"' in page


def test_a_long_agenda_formats_each_session_without_a_reverse_per_session(published, django_assert_num_queries):
    items = list(published.current_version.items.all()) * 100
    with mock.patch("events.calendar_links.reverse", wraps=calendar_links.reverse) as reverse_spy:
        links = ItemLinks(published)
        with django_assert_num_queries(0):
            menus = [links(item) for item in items]
    assert reverse_spy.call_count == 2  # the agenda's and the .ics addresses, once each
    assert len(menus) == 300 and all(len(menu) == 4 for menu in menus)
