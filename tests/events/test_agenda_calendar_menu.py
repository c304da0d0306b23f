"""The "Add to calendar" menu beside every session of the agenda (issue 13,
item 2): a <details> list of four short links in the shared cached HTML, three
on this site that answer 302 to the calendar site's link with that session's
own times and title (the same links as {% add_to_calendar event item %} and
the session's own calendar page give) and the session's .ics."""

import html
import re
from datetime import UTC, datetime
from unittest import mock
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from events import calendar_links, services
from events.calendar_links import SESSION_EXCERPT, ItemLinks, ItemMenuLinks, add_links, excerpt
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


PROVIDERS = ("google", "outlook", "office365")


def _short_links(event, item):
    """The four links of a session's menu on the agenda and My agenda: three
    short links on this site, one per web calendar, and the .ics."""
    base = f"/events/{event.slug}/agenda/items/{item.uid}"
    return [
        *((label, f"{base}/calendar/{provider}/") for label, provider in zip(CALENDARS, PROVIDERS, strict=False)),
        (CALENDARS[3], f"{base}.ics"),
    ]


def _follow(client, links):
    """{label: where the short link sends the reader} for the three web calendars."""
    targets = {}
    for label, href in links[:3]:
        response = client.get(href)
        assert response.status_code == 302, href
        assert response["Cache-Control"] == "public, max-age=300" and "noindex" in response["X-Robots-Tag"]
        targets[label] = response["Location"]
    return targets


@override_settings(SITE_URL="https://events.example")
def test_every_session_has_the_four_short_links_to_its_own_times_and_title(
    client, published, django_assert_max_num_queries
):
    page = client.get(f"/events/{published.slug}/agenda/").content.decode()
    menus = _menus(page)
    items = list(published.current_version.items.order_by("starts_at"))
    assert list(menus) == [str(item.uid) for item in items]
    for item in items:
        summary, links = menus[str(item.uid)]
        assert summary == f'Add to calendar<span class="visually-hidden">: {html.escape(item.title)}</span>'
        assert links == _short_links(published, item)
        with django_assert_max_num_queries(6):  # per link two: the event and the session
            urls = _follow(client, links)
        # Each short link answers with exactly the link the tag gives for this
        # session on any other page (and gave in this menu before).
        direct = add_to_calendar(published, item)["links"]
        assert [urls[label] for label in CALENDARS[:3]] == [link.url for link in direct[:3]]
        assert direct[3].url == f"https://events.example{links[3][1]}"
        google, outlook, microsoft = (_query(urls[label]) for label in CALENDARS[:3])
        assert urls[CALENDARS[0]].startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
        assert urls[CALENDARS[1]].startswith("https://outlook.live.com/calendar/0/action/compose?")
        assert urls[CALENDARS[2]].startswith("https://outlook.office.com/calendar/0/action/compose?")
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

    tricky = next(item for item in items if item.title == TRICKY)
    urls = _follow(client, menus[str(tricky.uid)][1])
    google, outlook = urls[CALENDARS[0]], urls[CALENDARS[1]]
    # Percent-encoded with %20 for spaces, never "+", and left so by the redirect.
    encoded = quote(f"{TRICKY} (Nz Workshop)", safe="")
    assert f"&text={encoded}&dates=20310302T211500Z/20310302T223000Z&" in google
    assert f"&subject={encoded}&startdt=2031-03-02T21%3A15%3A00Z&enddt=2031-03-02T22%3A30%3A00Z&" in outlook
    assert "+" not in google.split("?", 1)[1]
    assert "location=Room%20%3C2%3E%2C%20" in google
    assert "<more>" not in page.replace("&lt;more&gt;", "")
    rows = re.findall(r'<tr class="kind-.*?</tr>', page, re.DOTALL)
    # No calendar site's address beside the sessions (the page's "Subscribe"
    # menu has its own), and no crawler following the links.
    assert "calendar.google.com" not in "".join(rows) and "outlook." not in "".join(rows)
    for label in CALENDARS:
        assert "".join(rows).count(f'rel="nofollow">{label}</a>') == 3
    # A few hundred bytes per session besides its title, whatever its place
    # and description (the long links took 2 to 4 KB).
    for row, item in zip(rows, items, strict=True):
        (menu,) = re.findall(r"<details.*?</details>", row, re.DOTALL)
        assert len(menu.encode()) - len(html.escape(item.title).encode()) < 800


@override_settings(SITE_URL="https://events.example")
def test_short_links_to_nothing_are_not_found(client, published, organiser):
    item = published.current_version.items.get(title="Opening")
    base = f"/events/{published.slug}/agenda/items"
    assert client.get(f"{base}/{item.uid}/calendar/google/").status_code == 302
    assert client.head(f"{base}/{item.uid}/calendar/office365/").status_code == 302
    assert client.post(f"{base}/{item.uid}/calendar/google/").status_code == 405
    for path in (
        f"{base}/{item.uid}/calendar/yahoo/",  # no such calendar
        f"{base}/{item.uid}/calendar/Google/",
        f"{base}/{item.uid}/calendar/ics/",
        f"{base}/00000000-0000-0000-0000-000000000000/calendar/google/",  # no such session
        f"/events/no-such-event/agenda/items/{item.uid}/calendar/google/",
        f"{base}/{item.uid}/calendar/google%00/",
        f"{base}/{item.uid}%00/calendar/google/",
        f"{base}/{'a' * 10_000}/calendar/outlook/",
        f"{base}/{item.uid}/calendar/{'google' * 2_000}/",
    ):
        assert client.get(path).status_code == 404, path[:120]
    # A session of a later draft, not in the published agenda.
    draft = add_item(published, "Draft only", datetime(2031, 3, 4, 9, 0))
    assert client.get(f"{base}/{draft.uid}/calendar/google/").status_code == 404
    assert client.get(f"{base}/{draft.uid}.ics").status_code == 404


@override_settings(SITE_URL="https://events.example")
@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_short_links_answer_as_the_sessions_ics_does(client, published, status):
    """The same rules as the session's .ics: nothing for an event taken back to
    draft; a cancelled event stays public (with its notice), and so do its
    sessions' links."""
    item = published.current_version.items.get(title="Opening")
    type(published).objects.filter(pk=published.pk).update(status=status)
    ics = client.get(f"/events/{published.slug}/agenda/items/{item.uid}.ics")
    link = client.get(f"/events/{published.slug}/agenda/items/{item.uid}/calendar/outlook/")
    assert link.status_code == (404 if status == "draft" else 302)
    assert ics.status_code == (404 if status == "draft" else 200)


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
    assert links == _short_links(event, item)
    urls = _follow(client, links)
    assert list(urls.values()) == [link.url for link in add_to_calendar(event, item)["links"][:3]]
    google, outlook, microsoft = (_query(urls[label]) for label in CALENDARS[:3])
    (details,) = google["details"]
    assert outlook["body"] == microsoft["body"] == [details]
    text, url = details.split("\n\n")
    assert url == session_url
    assert text == (
        "Delegates review the draft work programme line by line, agree which projects go forward "
        "to the ministers' meeting in May and which wait for…"
    )
    assert len(text) <= SESSION_EXCERPT + 1 and "Second paragraph" not in details
    ics = client.get(dict(links)[CALENDARS[3]]).content.decode()
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
    # The agenda's menus: one reverse() per link for the whole agenda.
    with mock.patch("events.calendar_links.reverse", wraps=calendar_links.reverse) as reverse_spy:
        links = ItemMenuLinks(published.slug)
        with django_assert_num_queries(0):
            menus = [links(item) for item in items]
    assert reverse_spy.call_count == 4
    assert all(
        [(link.label, link.url) for link in menu] == _short_links(published, item)
        for menu, item in zip(menus, items, strict=True)
    )
