from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events import services
from events.models import Event, MeetingCluster

from ..factories import add_item, add_items, make_event, make_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    venue = make_venue()
    som1 = MeetingCluster.objects.create(
        slug="som1-2020-putrajaya", meeting="SOM1", year=2020, host_city="Putrajaya", host_economy="MY",
        start_date="2020-02-07", end_date="2020-02-22",
    )  # fmt: skip
    now = timezone.now()
    past = make_event("past-plenary", venue=venue, kind=Event.Kind.IPEG_MEETING, cluster=som1,
                      starts_at=now - timedelta(days=400), ends_at=now - timedelta(days=399))  # fmt: skip
    upcoming = make_event("design-workshop", venue=venue, kind=Event.Kind.WORKSHOP, project_code="IPEG 02 2020S",
                          starts_at=now + timedelta(days=30), ends_at=now + timedelta(days=30, hours=6))  # fmt: skip
    side = make_event("side-event", venue=venue, kind=Event.Kind.SIDE_EVENT,
                      starts_at=now + timedelta(days=60), ends_at=now + timedelta(days=60, hours=3))  # fmt: skip
    cancelled = make_event("cancelled-workshop", venue=venue, status=Event.Status.CANCELLED,
                           starts_at=now + timedelta(days=90), ends_at=now + timedelta(days=90, hours=3))  # fmt: skip
    return {"past": past, "upcoming": upcoming, "side": side, "cancelled": cancelled}


def titles(response):
    page = response.context["page"]
    return {event.slug for event in page.object_list}


def test_home_lists_upcoming_published_events(client, catalogue):
    page = client.get("/").content.decode()
    assert catalogue["upcoming"].title in page and catalogue["past"].title not in page


def test_event_list_defaults_to_upcoming(client, catalogue):
    assert titles(client.get("/events/")) == {"design-workshop", "side-event", "cancelled-workshop"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("when=past", {"past-plenary"}),
        ("when=all&kind=ipeg_meeting", {"past-plenary"}),
        ("when=all&cluster=som1-2020-putrajaya", {"past-plenary"}),
        ("when=all&project=ipeg 02", {"design-workshop"}),
        ("kind=side_event", {"side-event"}),
    ],
)
def test_event_list_filters(client, catalogue, query, expected):
    assert titles(client.get(f"/events/?{query}")) == expected


@pytest.mark.parametrize("query", ["when=yesterday", "kind=party", "cluster=nowhere", "page=abc", "page=999999"])
def test_bad_filter_values_answer_with_a_message_not_an_error(client, catalogue, query):
    response = client.get(f"/events/?{query}")
    assert response.status_code == 200
    if not query.startswith("page"):
        assert "were not understood and were ignored" in response.content.decode()


def test_cancelled_event_stays_visible_with_a_notice(client, catalogue):
    page = client.get("/events/cancelled-workshop/").content.decode()
    assert "This event is cancelled." in page


def test_event_page_names_the_venue_zone_and_sanitises_the_description(client, db):
    venue = make_venue("Asia/Kuala_Lumpur")
    zone = ZoneInfo("Asia/Kuala_Lumpur")
    make_event(
        "plenary",
        venue=venue,
        starts_at=datetime(2031, 2, 17, 9, 0, tzinfo=zone),
        ends_at=datetime(2031, 2, 18, 16, 30, tzinfo=zone),
        description="**IPEG** meets. <img src=x onerror=alert(1)> <script>steal()</script>",
    )
    page = client.get("/events/plenary/").content.decode()
    assert "Monday 17 February 2031, 09:00" in page
    assert '<span class="zone-city" title="Asia/Kuala_Lumpur">Kuala Lumpur time, UTC+8</span>' in page
    assert "<strong>IPEG</strong>" in page
    assert "onerror" not in page and "<script>steal" not in page


def test_unknown_event_is_a_friendly_404(client, db):
    response = client.get("/events/no-such-event/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def _agenda_with(organiser, count, slug):
    event = make_event(
        slug,
        starts_at=datetime(2031, 2, 17, 0, 0, tzinfo=ZoneInfo("Asia/Kuala_Lumpur")),
        ends_at=datetime(2031, 2, 28, 0, 0, tzinfo=ZoneInfo("Asia/Kuala_Lumpur")),
        organisers=[organiser],
    )
    add_items(event, count)
    services.publish_agenda(event, actor=organiser)
    return event


def test_agenda_page_queries_do_not_grow_with_items(client, organiser, django_assert_num_queries):
    small = _agenda_with(organiser, 5, "small")
    large = _agenda_with(organiser, 300, "large")
    # One query for the event (with venue, cluster and current version), one
    # for the state of its session documents (then cached), one for the items.
    with django_assert_num_queries(3):
        small_page = client.get(f"/events/{small.slug}/agenda/")
    with django_assert_num_queries(3):
        large_page = client.get(f"/events/{large.slug}/agenda/")
    assert small_page.content.decode().count('<tr class="kind-') == 5
    assert large_page.content.decode().count('<tr class="kind-') == 300
    # A published version never changes, so the second visit renders from cache.
    with django_assert_num_queries(1):
        again = client.get(f"/events/{large.slug}/agenda/")
    assert again.content == large_page.content


def test_event_list_queries_do_not_grow_with_events(client, db, django_assert_num_queries):
    venue = make_venue()
    now = timezone.now()
    for n in range(30):
        make_event(f"event-{n}", venue=venue, starts_at=now + timedelta(days=n + 1))
    # count, page of events with venue and cluster, clusters for the filter
    with django_assert_num_queries(3):
        response = client.get("/events/?when=upcoming")
    assert len(response.context["page"].object_list) == 20
    with django_assert_num_queries(3):
        client.get("/events/?when=upcoming&page=2")


def test_event_page_query_count_is_fixed(client, organiser, django_assert_num_queries):
    event = _agenda_with(organiser, 50, "fifty")
    with django_assert_num_queries(1):
        page = client.get(f"/events/{event.slug}/")
    assert "Agenda (version 1)" in page.content.decode()


def test_home_page_query_count_is_fixed(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/")


def test_speakers_show_with_organisation_and_economy(client, event, organiser):
    from events.models import Speaker

    speaker = Speaker.objects.create(title="Ms", name="Aiko Tanaka", organisation="WIPO", economy="XX")
    item = add_item(event, "Hague System", datetime(2031, 3, 3, 11, 0))
    item.speakers.add(speaker)
    services.publish_agenda(event, actor=organiser)
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert "Ms Aiko Tanaka" in page
    assert "(WIPO, Other / international organisation)" in page
