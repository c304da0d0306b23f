"""Organiser desk journeys and bad input on every desk form: a clear message,
never a 500, and nothing already saved is lost."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission

from events.models import AgendaItem, Event, Speaker

from ..factories import add_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, organiser):
    organiser.user_permissions.add(*Permission.objects.filter(codename__in=["add_event", "add_speaker"]))
    client.force_login(organiser)
    return client


def event_data(venue, /, **changes):
    data = {
        "title": "Workshop on Designs",
        "slug": "designs-2031",
        "kind": "workshop",
        "venue": venue.pk,
        "starts_at": "2031-03-03T09:00",
        "ends_at": "2031-03-03T17:00",
        "capacity": "40",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "project_code": "IPEG 02 2020S",
        "description": "A *workshop*.",
    }
    data.update(changes)
    return data


def test_organiser_creates_an_event_in_venue_time(desk, organiser, auckland):
    response = desk.post("/desk/events/new/", event_data(auckland))
    assert response.status_code == 302
    event = Event.objects.get(slug="designs-2031")
    assert event.status == Event.Status.DRAFT
    assert event.starts_at == datetime(2031, 3, 2, 20, 0, tzinfo=UTC)  # 09:00 NZDT
    assert list(event.organisers.all()) == [organiser]
    form_page = desk.get("/desk/events/designs-2031/").content.decode()
    assert 'value="2031-03-03T09:00"' in form_page  # shown back in venue time, not UTC


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"ends_at": "2031-03-03T08:00"}, "The event must end after it starts."),
        ({"starts_at": "next tuesday"}, "Enter a date and time, for example 2020-02-17 09:00."),
        ({"project_code": "IPEG-2"}, "Use the APEC project code format"),
        ({"capacity": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"venue": "999999"}, "Select a valid choice."),
        ({"slug": "not a slug!"}, "Enter a valid “slug”"),
        ({"starts_at": "2031-09-28T02:30", "ends_at": "2031-09-28T17:00"}, "does not exist in Pacific/Auckland"),
        (
            {"registration_opens_at": "2031-02-01T09:00", "registration_closes_at": "2031-01-01T09:00"},
            "Registration must close after it opens.",
        ),
    ],
)
def test_event_form_bad_input_is_explained(desk, auckland, changes, message):
    response = desk.post("/desk/events/new/", event_data(auckland, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.filter(slug=changes.get("slug", "designs-2031")).exists()


def test_duplicate_slug_is_refused_and_the_existing_event_is_untouched(desk, event, auckland):
    response = desk.post("/desk/events/new/", event_data(auckland, slug=event.slug, title="Copy"))
    assert "Event with this Slug already exists." in response.content.decode()
    event.refresh_from_db()
    assert event.title != "Copy"


def test_failed_edit_keeps_what_was_saved(desk, event, auckland):
    before = event.title
    response = desk.post(f"/desk/events/{event.slug}/", event_data(auckland, slug=event.slug, ends_at="bad"))
    assert "Enter a date and time" in response.content.decode()
    event.refresh_from_db()
    assert event.title == before


def item_data(**changes):
    data = {
        "title": "Opening",
        "kind": "opening",
        "starts_at": "2031-03-03T09:00",
        "ends_at": "2031-03-03T09:30",
        "room": "Room 1",
        "description": "",
    }
    data.update(changes)
    return data


def test_organiser_adds_edits_and_removes_sessions(desk, event):
    speaker = Speaker.objects.create(name="Hana Walker", organisation="IPONZ", economy="NZ")
    response = desk.post(f"/desk/events/{event.slug}/agenda/new/", item_data(speakers=[speaker.pk]))
    assert response.status_code == 302
    item = AgendaItem.objects.get(event=event)
    assert item.starts_at == datetime(2031, 3, 2, 20, 0, tzinfo=UTC)
    assert list(item.speakers.all()) == [speaker]

    desk.post(f"/desk/events/{event.slug}/agenda/{item.uid}/", item_data(title="Opening remarks"))
    item.refresh_from_db()
    assert item.title == "Opening remarks"

    desk.post(f"/desk/events/{event.slug}/agenda/{item.uid}/delete/")
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"ends_at": "2031-03-03T08:00"}, "A session must end after it starts."),
        ({"starts_at": "2031-03-09T09:00", "ends_at": "2031-03-09T10:00"}, "A session must lie within its event"),
        ({"kind": "party"}, "Select a valid choice."),
        ({"speakers": ["424242"]}, "Select a valid choice."),
        ({"starts_at": "03/03/2031"}, "Enter a date and time"),
    ],
)
def test_item_form_bad_input_is_explained(desk, event, changes, message):
    response = desk.post(f"/desk/events/{event.slug}/agenda/new/", item_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AgendaItem.objects.filter(event=event).exists()


def test_failed_item_edit_keeps_the_saved_session(desk, event):
    item = add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    desk.post(f"/desk/events/{event.slug}/agenda/{item.uid}/", item_data(title="", ends_at="2031-03-03T08:00"))
    item.refresh_from_db()
    assert item.title == "Opening"


def test_publishing_from_the_desk_and_refusals(desk, event):
    response = desk.post(f"/desk/events/{event.slug}/agenda/publish/", follow=True)
    assert "no sessions yet" in response.content.decode()
    add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    response = desk.post(f"/desk/events/{event.slug}/agenda/publish/", {"note": "First"}, follow=True)
    assert "Agenda version 1 is published." in response.content.decode()
    response = desk.post(f"/desk/events/{event.slug}/agenda/publish/", follow=True)
    assert "Nothing has changed since version 1" in response.content.decode()
    response = desk.post(f"/desk/events/{event.slug}/agenda/publish/", {"note": "x" * 2001}, follow=True)
    assert "The note is too long" in response.content.decode()
    assert event.agenda_versions.count() == 1


def test_publish_and_cancel_event_from_the_desk(desk, other_event, organiser):
    other_event.organisers.add(organiser)
    desk.post(f"/desk/events/{other_event.slug}/publish/")
    other_event.refresh_from_db()
    assert other_event.status == Event.Status.PUBLISHED
    response = desk.post(f"/desk/events/{other_event.slug}/publish/", follow=True)
    assert "Only a draft can be published" in response.content.decode()
    desk.post(f"/desk/events/{other_event.slug}/cancel/")
    other_event.refresh_from_db()
    assert other_event.status == Event.Status.CANCELLED
    response = desk.post(f"/desk/events/{other_event.slug}/cancel/", follow=True)
    assert "already cancelled" in response.content.decode()


def test_state_changes_need_post(desk, event):
    assert desk.get(f"/desk/events/{event.slug}/publish/").status_code == 405
    assert desk.get(f"/desk/events/{event.slug}/agenda/publish/").status_code == 405


def test_speaker_form_validates(desk):
    response = desk.post("/desk/speakers/new/", {"name": "", "email": "not-an-address"})
    page = response.content.decode()
    assert "This field is required." in page and "Enter a valid email address." in page
    response = desk.post("/desk/speakers/new/", {"name": "Aiko Tanaka", "economy": "XX", "organisation": "WIPO"})
    assert response.status_code == 302
    assert Speaker.objects.filter(name="Aiko Tanaka").exists()


def test_desk_forms_need_a_csrf_token(organiser, event):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(f"/desk/events/{event.slug}/cancel/")
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_calendar_relevant_edits_raise_the_sequence_and_others_do_not(desk, event, auckland):
    data = event_data(
        auckland, slug=event.slug, title=event.title, starts_at="2031-03-03T09:00", ends_at="2031-03-04T17:00"
    )
    desk.post(f"/desk/events/{event.slug}/", {**data, "description": "Only the text changed."})
    event.refresh_from_db()
    assert event.sequence == 0
    desk.post(f"/desk/events/{event.slug}/", {**data, "starts_at": "2031-03-03T10:00"})
    event.refresh_from_db()
    assert event.sequence == 1


def test_approval_types_are_chosen_on_the_event_form(desk, auckland):
    desk.post("/desk/events/new/", {**event_data(auckland), "approval_required_for": ["delegate", "observer"]})
    assert Event.objects.get(slug="designs-2031").approval_required_for == ["delegate", "observer"]
    response = desk.post("/desk/events/new/", {**event_data(auckland, slug="x2"), "approval_required_for": ["emperor"]})
    assert "Select a valid choice." in response.content.decode()


def test_reminder_times_are_written_as_people_write_them(desk, auckland):
    desk.post("/desk/events/new/", {**event_data(auckland), "reminder_offsets": "1d, 7d; 2h"})
    event = Event.objects.get(slug="designs-2031")
    assert event.reminder_offsets == [7 * 1440, 1440, 120]
    page = desk.get(f"/desk/events/{event.slug}/").content.decode()
    assert 'value="7d, 1d, 2h"' in page
    for bad, message in (("soon", "Write reminder times like"), ("90d", "at most 60 days")):
        response = desk.post("/desk/events/new/", {**event_data(auckland, slug="x3"), "reminder_offsets": bad})
        assert message in response.content.decode()
