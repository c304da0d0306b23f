"""Calendar feeds: content checked with the icalendar parser here and, in
test_ical_js.py, with Mozilla's ical.js (the parser behind Thunderbird)."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import AgendaItem, Event
from registrations import calendar_feed
from registrations import services as registrations
from registrations.models import CalendarToken

from ..factories import add_item, make_event, make_user
from .conftest import AUCKLAND

pytestmark = pytest.mark.django_db


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar):
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def test_public_feed_has_one_vevent_per_public_event_and_no_drafts(client, nz_event, kl_event, other_event, past_event):
    calendar = parse(client.get("/events/feed.ics"))
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0" and calendar["CALSCALE"] == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "IPEG events"
    assert "REFRESH-INTERVAL" in calendar and "X-PUBLISHED-TTL" in calendar
    uids = set(vevents(calendar))
    assert uids == {f"event-{nz_event.uid}@ipeg-events", f"event-{kl_event.uid}@ipeg-events"}
    assert {tz["TZID"] for tz in calendar.walk("VTIMEZONE")} == {"Pacific/Auckland", "Asia/Kuala_Lumpur"}


def test_every_vevent_has_the_properties_clients_need(client, nz_event):
    (event,) = parse(client.get("/events/feed.ics")).walk("VEVENT")
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "URL",
                 "LAST-MODIFIED", "CATEGORIES", "SEQUENCE", "STATUS"):  # fmt: skip
        assert name in event, name
    assert event["DTSTART"].params["TZID"] == "Pacific/Auckland"
    assert event["DTSTART"].dt == datetime(2031, 4, 4, 20, 0, tzinfo=UTC)
    assert event["DTSTAMP"].dt.tzinfo is not None and event["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert str(event["SUMMARY"]) == nz_event.title
    description = str(event["DESCRIPTION"])
    assert "**" not in description and "Bold text, with commas; semicolons" in description
    assert "APEC project IPEG 02 2020S" in description


def test_agenda_feed_has_the_event_and_each_published_item_in_local_time(client, nz_event):
    items = vevents(parse(client.get(f"/events/{nz_event.slug}/agenda.ics")))
    assert len(items) == 4
    by_title = {str(v["SUMMARY"]): v for v in items.values()}
    saturday, monday = by_title["Saturday opening"], by_title["Monday session"]
    # 09:00 on both sides of the daylight-saving change: the UTC instants differ by one hour.
    assert saturday["DTSTART"].dt.astimezone(AUCKLAND).hour == 9 == monday["DTSTART"].dt.astimezone(AUCKLAND).hour
    assert saturday["DTSTART"].dt.utcoffset() == timedelta(hours=13)
    assert monday["DTSTART"].dt.utcoffset() == timedelta(hours=12)
    assert "Room 1, Level 2" in str(saturday["LOCATION"])
    assert "Ms Aiko Tanaka (WIPO, Geneva, Other / international organisation)" in str(saturday["DESCRIPTION"])


def test_uids_never_change_and_sequence_rises_only_for_visible_changes(client, nz_event, organiser, monkeypatch):
    before = vevents(parse(client.get(f"/events/{nz_event.slug}/agenda.ics")))
    AgendaItem.objects.filter(title="Monday session").update(description="Now with a description")
    moved = AgendaItem.objects.get(title="Saturday opening")
    moved.starts_at += timedelta(minutes=30)
    moved.ends_at += timedelta(minutes=30)
    moved.save()
    later = timezone.now() + timedelta(minutes=5)
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    services.publish_agenda(nz_event, actor=organiser)
    after = vevents(parse(client.get(f"/events/{nz_event.slug}/agenda.ics")))
    assert set(before) == set(after)
    titles = {str(v["SUMMARY"]): v for v in after.values()}
    old_titles = {str(v["SUMMARY"]): v for v in before.values()}
    assert titles["Saturday opening"]["SEQUENCE"] == old_titles["Saturday opening"]["SEQUENCE"] + 1
    assert titles["Monday session"]["SEQUENCE"] == old_titles["Monday session"]["SEQUENCE"]
    assert titles["Monday session"]["LAST-MODIFIED"].dt == later.replace(microsecond=0)
    assert old_titles["Monday session"]["LAST-MODIFIED"].dt < later.replace(microsecond=0)


def test_removed_item_stays_cancelled_with_a_higher_sequence_then_expires(client, nz_event, organiser, settings):
    uid = AgendaItem.objects.get(title="To be dropped").uid
    AgendaItem.objects.filter(uid=uid).delete()
    services.publish_agenda(nz_event, actor=organiser)
    dropped = vevents(parse(client.get(f"/events/{nz_event.slug}/agenda.ics")))[f"item-{uid}@ipeg-events"]
    assert dropped["STATUS"] == "CANCELLED" and dropped["SEQUENCE"] == 1
    settings.FEED_CANCELLED_DAYS = 0
    assert f"item-{uid}@ipeg-events" not in vevents(parse(client.get(f"/events/{nz_event.slug}/agenda.ics")))


def test_cancelled_event_is_cancelled_in_every_feed_with_a_higher_sequence(client, nz_event):
    services.cancel_event(nz_event, actor=None)
    feed = vevents(parse(client.get("/events/feed.ics")))[f"event-{nz_event.uid}@ipeg-events"]
    assert feed["STATUS"] == "CANCELLED" and feed["SEQUENCE"] == 1
    agenda = parse(client.get(f"/events/{nz_event.slug}/agenda.ics")).walk("VEVENT")
    assert {str(v["STATUS"]) for v in agenda} == {"CANCELLED"}
    with override_settings(FEED_CANCELLED_DAYS=0):
        Event.objects.filter(pk=nz_event.pk).update(updated_at=timezone.now() - timedelta(days=1))
        assert not parse(client.get("/events/feed.ics")).walk("VEVENT")


def test_unpublished_agenda_changes_never_reach_a_feed(client, nz_event):
    add_item(nz_event, "Draft-only session", datetime(2031, 4, 6, 10, 0))
    AgendaItem.objects.filter(title="Monday session").update(title="Renamed in draft")
    body = client.get(f"/events/{nz_event.slug}/agenda.ics").content.decode()
    assert "Draft-only session" not in body and "Renamed in draft" not in body


def test_draft_event_feeds_are_404(client, other_event):
    assert client.get(f"/events/{other_event.slug}/agenda.ics").status_code == 404
    assert client.get(f"/events/{other_event.slug}/event.ics").status_code == 404


def test_all_day_event_uses_dates(client, all_day_event):
    (event,) = parse(client.get(f"/events/{all_day_event.slug}/event.ics")).walk("VEVENT")
    assert event["DTSTART"].dt.isoformat() == "2031-06-02" and event["DTEND"].dt.isoformat() == "2031-06-04"


def test_single_event_and_single_item_downloads(client, nz_event):
    (event,) = parse(client.get(f"/events/{nz_event.slug}/event.ics")).walk("VEVENT")
    assert str(event["UID"]) == f"event-{nz_event.uid}@ipeg-events"
    item = nz_event.current_version.items.get(title="Monday session")
    response = client.get(f"/events/{nz_event.slug}/agenda/items/{item.uid}.ics")
    (vevent,) = parse(response).walk("VEVENT")
    assert str(vevent["UID"]) == f"item-{item.uid}@ipeg-events"
    assert response["Content-Disposition"].startswith('inline; filename="nz-dst-workshop-')
    assert (
        client.get(f"/events/{nz_event.slug}/agenda/items/00000000-0000-0000-0000-000000000000.ics").status_code == 404
    )


def test_same_data_same_bytes_and_304_on_conditional_requests(client, nz_event, django_assert_max_num_queries):
    first = client.get(f"/events/{nz_event.slug}/agenda.ics")
    second = client.get(f"/events/{nz_event.slug}/agenda.ics")
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert first["Cache-Control"] == "public, max-age=300"
    with django_assert_max_num_queries(1):
        not_modified = client.get(f"/events/{nz_event.slug}/agenda.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    since = client.get(f"/events/{nz_event.slug}/agenda.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_change_gives_a_new_etag(client, nz_event, organiser):
    before = client.get(f"/events/{nz_event.slug}/agenda.ics")["ETag"]
    AgendaItem.objects.filter(title="Monday session").update(room="Room 9")
    services.publish_agenda(nz_event, actor=organiser)
    response = client.get(f"/events/{nz_event.slug}/agenda.ics", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200 and response["ETag"] != before and b"Room 9" in response.content


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_IF_NONE_MATCH": "not-a-valid-etag,,,"},
        {"HTTP_IF_MODIFIED_SINCE": "yesterday at noon"},
        {"HTTP_IF_MODIFIED_SINCE": "Mon, 99 Foo 99999 99:99:99 GMT"},
        {"HTTP_IF_NONE_MATCH": '"' + "x" * 5000 + '"'},
    ],
)
def test_malformed_conditional_headers_get_a_normal_200(client, nz_event, headers):
    response = client.get(f"/events/{nz_event.slug}/agenda.ics", **headers)
    assert response.status_code == 200 and response.content.startswith(b"BEGIN:VCALENDAR")


def test_head_requests_answer_headers_only(client, nz_event):
    response = client.head("/events/feed.ics")
    assert response.status_code == 200 and response.content == b"" and response["ETag"]


def test_feed_query_counts_do_not_grow(client, organiser, django_assert_num_queries):
    small = make_event("small-feed", organisers=[organiser])
    large = make_event("large-feed", ends_at=small.starts_at + timedelta(days=3), organisers=[organiser])
    for event, count in ((small, 3), (large, 120)):
        for n in range(count):
            add_item(
                event, f"Session {n}", event.starts_at.replace(tzinfo=None) + timedelta(minutes=15 * n), minutes=15
            )
        services.publish_agenda(event, actor=organiser)
    # change mark, then (once per change) the event with its venue, the items, the removed items
    with django_assert_num_queries(4):
        client.get("/events/small-feed/agenda.ics")
    with django_assert_num_queries(4):
        client.get("/events/large-feed/agenda.ics")
    with django_assert_num_queries(1):
        cached = client.get("/events/large-feed/agenda.ics")
    assert cached.content.count(b"BEGIN:VEVENT") == 121
    # change marks, then the events
    with django_assert_num_queries(2):
        client.get("/events/feed.ics")


def test_personal_feed_has_my_events_and_their_agendas(client, nz_event, kl_event, subscriber):
    registrations.register(nz_event, subscriber)
    token = calendar_feed.regenerate(subscriber)
    response = client.get(f"/calendar/{token}.ics")
    calendar = parse(response)
    summaries = {str(v["SUMMARY"]) for v in calendar.walk("VEVENT")}
    assert nz_event.title in summaries and "Saturday opening" in summaries
    assert kl_event.title not in summaries
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert response["Cache-Control"] == "private, max-age=300"


def test_cancelled_registration_becomes_cancelled_in_the_personal_feed(client, nz_event, subscriber):
    registration = registrations.register(nz_event, subscriber)
    token = calendar_feed.regenerate(subscriber)
    etag = client.get(f"/calendar/{token}.ics")["ETag"]
    registrations.cancel(registration, actor=None)
    response = client.get(f"/calendar/{token}.ics", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    (event,) = parse(response).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == nz_event.sequence + 1


def made_on_the_page(client):
    """The full address, from the answer to "Make a new link": the one place it is shown."""
    response = client.post("/accounts/calendar/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    token = re.search(r"/calendar/([A-Za-z0-9_-]{43})\.ics", page).group(1)
    assert f"https://testserver/calendar/{token}.ics" in page or f"http://testserver/calendar/{token}.ics" in page
    assert f"webcal://testserver/calendar/{token}.ics" in page
    assert "calendar.google.com" in page and "outlook.live.com" in page
    return token, page


def test_the_database_holds_only_a_digest_of_the_calendar_token(subscriber):
    token = calendar_feed.regenerate(subscriber)
    row = CalendarToken.objects.filter(user=subscriber).values().get()
    assert token not in str(row)
    assert row["digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["hint"] == token[-4:]
    assert {field.name for field in CalendarToken._meta.get_fields()} == {"id", "user", "digest", "hint", "created_at"}


def test_the_link_is_shown_once_and_later_visits_only_describe_it(client, nz_event, subscriber):
    client.force_login(subscriber)
    first = client.get("/accounts/calendar/").content.decode()
    assert "You have no calendar link yet" in first and "/calendar/" not in first.split("<main", 1)[-1]
    assert not CalendarToken.objects.exists()  # a GET makes nothing
    token, page = made_on_the_page(client)
    assert "only time the full link is shown" in page
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    later = client.get("/accounts/calendar/").content.decode()
    assert token not in later and ".ics" not in later
    made = CalendarToken.objects.get(user=subscriber).created_at
    assert f"made on {made:%-d %B %Y}, ending …{token[-4:]}" in later
    assert "Make a new link" in later


def test_a_new_link_kills_the_old_url_at_once(client, nz_event, subscriber):
    client.force_login(subscriber)
    old, _ = made_on_the_page(client)
    new, page = made_on_the_page(client)
    assert new != old and "The old link no longer works" in page
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_signed_out_visitors_cannot_make_a_link(client, subscriber):
    assert client.post("/accounts/calendar/").status_code == 302
    assert not CalendarToken.objects.exists()


@pytest.mark.parametrize("token", ["short", "x" * 43, "../../etc/passwd", "%00" * 20])
def test_bad_tokens_are_404(client, subscriber, token):
    calendar_feed.regenerate(subscriber)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_unknown_slugs_are_404(client, db):
    for path in ("/events/nope/agenda.ics", "/events/nope/event.ics"):
        assert client.get(path).status_code == 404


def test_personal_feed_queries_do_not_grow(client, organiser, subscriber, django_assert_num_queries):
    token = calendar_feed.regenerate(subscriber)
    for n in range(4):
        event = make_event(f"mine-{n}", starts_at=timezone.now() + timedelta(days=10 + n), organisers=[organiser])
        add_item(event, "Opening", event.starts_at.replace(tzinfo=None))
        services.publish_agenda(event, actor=organiser)
        registrations.register(event, subscriber if n else make_user(f"x{n}@example.org"))
        if n == 0:
            registrations.register(event, subscriber)
    # token, change marks, registrations with events, items, removed items
    with django_assert_num_queries(5):
        client.get(f"/calendar/{token}.ics")
    with django_assert_num_queries(2):
        client.get(f"/calendar/{token}.ics")  # built once: now from the cache


def test_building_twice_from_unchanged_data_gives_identical_bytes(client, nz_event, subscriber):
    from django.core.cache import cache

    registrations.register(nz_event, subscriber)
    token = calendar_feed.regenerate(subscriber)
    for path in ("/events/feed.ics", f"/events/{nz_event.slug}/agenda.ics", f"/calendar/{token}.ics"):
        first = client.get(path)
        cache.clear()  # force a rebuild: no DTSTAMP of "now" may creep in
        second = client.get(path)
        assert first.content == second.content, path
        assert first["ETag"] == second["ETag"]
