"""Sessions of the draft agenda, speakers, venues and meeting clusters change
through services that log who changed what from what to what, whether on the
desk or in the Django admin (whose agenda inline is read-only)."""

from datetime import datetime

import pytest
from django.contrib.auth.models import Permission

from audit.models import LogEntry
from events.models import AgendaItem, MeetingCluster, Speaker, Venue

from ..factories import add_item

pytestmark = pytest.mark.django_db


def item_data(**changes):
    return {
        "title": "Opening",
        "kind": "opening",
        "starts_at": "2031-03-03T09:00",
        "ends_at": "2031-03-03T09:30",
        "room": "Room 1",
        "description": "",
        **changes,
    }


def test_moving_a_session_logs_who_changed_its_time_from_what_to_what(desk, event, organiser):
    item = add_item(event, "Opening", datetime(2031, 3, 3, 9, 0), room="Room 1", kind="opening")
    response = desk.post(
        f"/desk/events/{event.slug}/agenda/{item.uid}/",
        item_data(starts_at="2031-03-03T10:00", ends_at="2031-03-03T10:30"),
    )
    assert response.status_code == 302
    (entry,) = LogEntry.objects.filter(action="agenda.item_changed")
    assert (entry.actor, entry.event, entry.content_object, entry.object_label) == (organiser, event, item, "Opening")
    # Auckland is UTC+13 in March: 09:00 there is 20:00 UTC the day before.
    assert entry.before == {"starts_at": "2031-03-02T20:00:00+00:00", "ends_at": "2031-03-02T20:30:00+00:00"}
    assert entry.after == {"starts_at": "2031-03-02T21:00:00+00:00", "ends_at": "2031-03-02T21:30:00+00:00"}

    # The Activity page says it in words, in the venue's time.
    page = desk.get(f"/desk/events/{event.slug}/activity/").content.decode()
    assert "Session changed in the draft agenda" in page
    assert "Test Person &lt;organiser-a@example.org&gt;" in page
    assert "09:00" in page and "10:00" in page

    # Saving it again unchanged adds nothing.
    desk.post(
        f"/desk/events/{event.slug}/agenda/{item.uid}/",
        item_data(starts_at="2031-03-03T10:00", ends_at="2031-03-03T10:30"),
    )
    assert LogEntry.objects.filter(action="agenda.item_changed").count() == 1


def test_adding_and_removing_a_session_and_adding_a_speaker_are_logged(desk, event, organiser):
    organiser.user_permissions.add(Permission.objects.get(codename="add_speaker"))
    desk.post("/desk/speakers/new/", {"name": "Hana Walker", "title": "Dr", "organisation": "IPONZ", "economy": "NZ"})
    speaker = Speaker.objects.get(name="Hana Walker")
    added_speaker = LogEntry.objects.get(action="speaker.created")
    assert (added_speaker.actor, added_speaker.event, added_speaker.content_object) == (organiser, None, speaker)
    assert added_speaker.after["name"] == "Hana Walker" and added_speaker.after["organisation"] == "IPONZ"

    desk.post(f"/desk/events/{event.slug}/agenda/new/", item_data(title="Welcome", speakers=[speaker.pk]))
    item = AgendaItem.objects.get(event=event, title="Welcome")
    added = LogEntry.objects.get(action="agenda.item_added")
    assert (added.actor, added.event, added.content_object) == (organiser, event, item)
    assert added.before == {}
    assert added.after["title"] == "Welcome" and added.after["speakers"] == ["Dr Hana Walker"]
    assert added.after["starts_at"] == "2031-03-02T20:00:00+00:00"

    desk.post(f"/desk/events/{event.slug}/agenda/{item.uid}/delete/")
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    removed = LogEntry.objects.get(action="agenda.item_removed")
    assert (removed.actor, removed.event_id, removed.object_label) == (organiser, event.pk, "Welcome")
    assert removed.before["title"] == "Welcome" and removed.before["room"] == "Room 1"
    page = desk.get(f"/desk/events/{event.slug}/activity/", {"action": "agenda"}).content.decode()
    assert "Session added to the draft agenda" in page and "Session removed from the draft agenda" in page


def test_a_failed_save_logs_nothing(desk, event):
    item = add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    response = desk.post(f"/desk/events/{event.slug}/agenda/{item.uid}/", item_data(ends_at="2031-03-03T08:00"))
    assert response.status_code == 200
    assert not LogEntry.objects.filter(action__startswith="agenda.").exists()


def test_the_admin_shows_the_agenda_read_only_and_logs_venue_speaker_and_cluster_changes(
    admin_client, admin_user, event
):
    item = add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    change = admin_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "Opening" in change
    assert 'name="draft_items-0-title"' not in change and 'name="draft_items-0-starts_at_0"' not in change
    assert 'name="draft_items-0-DELETE"' not in change

    venue = event.venue
    old_name = venue.name
    data = {"name": "Te Papa", "address": "55 Cable Street", "city": venue.city, "economy": venue.economy}
    response = admin_client.post(f"/admin/events/venue/{venue.pk}/change/", {**data, "timezone": venue.timezone})
    assert response.status_code == 302
    changed = LogEntry.objects.get(action="venue.changed")
    assert changed.actor == admin_user and changed.content_object == venue
    assert changed.before == {"name": old_name, "address": ""}
    assert changed.after == {"name": "Te Papa", "address": "55 Cable Street"}

    speaker = Speaker.objects.create(name="Aiko Tanaka")
    response = admin_client.post(f"/admin/events/speaker/{speaker.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Speaker.objects.filter(pk=speaker.pk).exists()
    deleted = LogEntry.objects.get(action="speaker.deleted")
    assert (deleted.actor, deleted.object_label, deleted.before["name"]) == (admin_user, "Aiko Tanaka", "Aiko Tanaka")

    response = admin_client.post(
        "/admin/events/meetingcluster/add/",
        {
            "meeting": "SOM1",
            "year": 2031,
            "host_city": "Auckland",
            "host_economy": "NZ",
            "start_date": "2031-03-01",
            "end_date": "2031-03-07",
            "slug": "som1-2031-auckland",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cluster = MeetingCluster.objects.get(slug="som1-2031-auckland")
    created = LogEntry.objects.get(action="cluster.created")
    assert (created.actor, created.content_object, created.after["host_city"]) == (admin_user, cluster, "Auckland")
    assert AgendaItem.objects.filter(pk=item.pk).exists() and Venue.objects.filter(name="Te Papa").exists()
