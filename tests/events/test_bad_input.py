"""Input that used to end in a 500: dates no zone conversion can reach, and
titles holding line breaks. Each is a form error or is made one line, and
nothing already saved is lost."""

from datetime import datetime

import pytest
from django.contrib.auth.models import Permission
from icalendar import Calendar

from events.models import AgendaItem, Event

from ..factories import add_item
from .test_desk import event_data, item_data

pytestmark = pytest.mark.django_db

FAR_DATES = ["0001-01-01T00:00", "9999-12-31T23:59"]


@pytest.fixture
def desk(client, organiser):
    organiser.user_permissions.add(*Permission.objects.filter(codename__in=["add_event"]))
    client.force_login(organiser)
    return client


@pytest.mark.parametrize("field", ["starts_at", "ends_at", "registration_opens_at"])
@pytest.mark.parametrize("value", FAR_DATES)
def test_a_date_out_of_range_is_a_form_error_on_the_event_form(desk, auckland, field, value):
    response = desk.post("/desk/events/new/", event_data(auckland, **{field: value}))
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    assert not Event.objects.filter(slug="designs-2031").exists()


@pytest.mark.parametrize("value", FAR_DATES)
def test_a_date_out_of_range_on_an_edit_keeps_the_saved_event(desk, event, auckland, value):
    before = (event.title, event.starts_at)
    response = desk.post(f"/desk/events/{event.slug}/", event_data(auckland, slug=event.slug, starts_at=value))
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.starts_at) == before


@pytest.mark.parametrize("value", FAR_DATES)
def test_a_date_out_of_range_is_a_form_error_on_the_agenda_item_form(desk, event, value):
    response = desk.post(f"/desk/events/{event.slug}/agenda/new/", item_data(starts_at=value))
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    assert not AgendaItem.objects.filter(event=event).exists()

    item = add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    desk.post(f"/desk/events/{event.slug}/agenda/{item.uid}/", item_data(title="Changed", ends_at=value))
    item.refresh_from_db()
    assert item.title == "Opening"


def test_event_and_session_titles_are_saved_on_one_line(desk, event, auckland):
    title = "Workshop on\r\nIndustrial\u2028Designs\x0b "
    response = desk.post("/desk/events/new/", event_data(auckland, title=title))
    assert response.status_code == 302
    assert Event.objects.get(slug="designs-2031").title == "Workshop on Industrial Designs"

    desk.post(f"/desk/events/{event.slug}/agenda/new/", item_data(title="Opening\nremarks\r\n"))
    assert AgendaItem.objects.get(event=event).title == "Opening remarks"


def test_agenda_feed_of_an_event_whose_title_holds_line_breaks(client, event):
    # Saved before titles were made one line, or through the admin or a script.
    Event.objects.filter(pk=event.pk).update(title="NZ workshop\r\non designs\nsecond line")
    response = client.get(f"/events/{event.slug}/agenda.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "NZ workshop  on designs second line — agenda"
    name_lines = [line for line in response.content.split(b"\r\n") if line.startswith(b"X-WR-CALNAME")]
    assert name_lines == [b"X-WR-CALNAME:NZ workshop  on designs second line \xe2\x80\x94 agenda"]
