"""Every feed read by a second, independent parser that is not Python:
Mozilla's ical.js under Node. Times must agree to the second with what we
stored, across zones and a daylight-saving change."""

import os
from datetime import UTC

import pytest
from django.core.management import call_command

from events import services
from events.models import AgendaItem, Event
from registrations import calendar_feed
from registrations import services as registrations

pytestmark = pytest.mark.django_db


def utc(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_agenda_feed_across_dst_with_awkward_text(client, tmp_path, ical_js, nz_event):
    parsed = ical_js(tmp_path, agenda=client.get(f"/events/{nz_event.slug}/agenda.ics").content)["agenda"]
    events = {event["uid"]: event for event in parsed["events"]}
    assert parsed["method"] == "PUBLISH"
    whole = events[f"event-{nz_event.uid}@ipeg-events"]
    assert whole["summary"] == nz_event.title  # semicolons, commas, Māori and Chinese text survive
    assert whole["tzid"] == "Pacific/Auckland"
    assert whole["start"] == utc(nz_event.starts_at) and whole["end"] == utc(nz_event.ends_at)
    assert "ā" * 200 in whole["description"]  # long lines folded and unfolded intact
    for item in AgendaItem.objects.filter(event=nz_event):
        event = events[f"item-{item.uid}@ipeg-events"]
        assert event["start"] == utc(item.starts_at), item.title
        assert event["end"] == utc(item.ends_at), item.title
        assert event["localStart"].endswith("T09:00:00") or item.title == "To be dropped"
    saturday = next(e for e in parsed["events"] if e["summary"] == "Saturday opening")
    assert saturday["location"].startswith("Room 1, Level 2, Aotea Centre")


def test_public_feed_with_several_zones_all_day_and_cancelled(
    client, tmp_path, ical_js, nz_event, kl_event, all_day_event
):
    services.cancel_event(kl_event, actor=None)
    parsed = ical_js(tmp_path, feed=client.get("/events/feed.ics").content)["feed"]
    events = {event["uid"]: event for event in parsed["events"]}
    kl = events[f"event-{kl_event.uid}@ipeg-events"]
    assert kl["tzid"] == "Asia/Kuala_Lumpur" and kl["start"] == utc(kl_event.starts_at)
    assert kl["status"] == "CANCELLED" and kl["sequence"] == 1
    all_day = events[f"event-{all_day_event.uid}@ipeg-events"]
    assert all_day["allDay"] is True and all_day["start"] == "2031-06-02" and all_day["end"] == "2031-06-04"
    assert events[f"event-{nz_event.uid}@ipeg-events"]["categories"] == ["Workshop"]


def test_removed_item_and_personal_feed(client, tmp_path, ical_js, nz_event, organiser, subscriber):
    dropped = AgendaItem.objects.get(title="To be dropped")
    dropped.delete()
    services.publish_agenda(nz_event, actor=organiser)
    registration = registrations.register(nz_event, subscriber)
    token = calendar_feed.regenerate(subscriber)
    mine = client.get(f"/calendar/{token}.ics").content
    registrations.cancel(registration, actor=None)
    cancelled = client.get(f"/calendar/{token}.ics").content
    parsed = ical_js(tmp_path, mine=mine, cancelled=cancelled)
    removed = next(e for e in parsed["mine"]["events"] if e["uid"] == f"item-{dropped.uid}@ipeg-events")
    assert removed["status"] == "CANCELLED" and removed["sequence"] == 1
    assert len(parsed["mine"]["events"]) == 4
    (gone,) = parsed["cancelled"]["events"]
    assert gone["status"] == "CANCELLED" and gone["uid"] == f"event-{nz_event.uid}@ipeg-events"


def test_demo_feeds_parse(client, tmp_path, ical_js):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    feeds = {"all": client.get("/events/feed.ics").content}
    for event in Event.objects.public():
        feeds[event.slug.replace("-", "_")] = client.get(f"/events/{event.slug}/agenda.ics").content
    parsed = ical_js(tmp_path, **feeds)
    assert len(parsed["all"]["events"]) == Event.objects.public().count() - 1  # the 2020 plenary is past retention
    for event in Event.objects.public().exclude(current_version=None):
        expected = event.current_version.items.count() + 1
        assert len(parsed[event.slug.replace("-", "_")]["events"]) == expected
