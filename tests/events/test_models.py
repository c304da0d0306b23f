from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from events.models import AgendaItem, Event, MeetingCluster, Venue

from ..factories import add_item

pytestmark = pytest.mark.django_db


def test_event_must_end_after_it_starts(event):
    event.ends_at = event.starts_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["ends_at"] == ["The event must end after it starts."]


def test_database_refuses_an_event_ending_before_it_starts(event):
    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(ends_at=event.starts_at - timedelta(hours=1))


def test_registration_must_close_after_it_opens_and_before_the_event_ends(event):
    event.registration_opens_at = event.starts_at - timedelta(days=10)
    event.registration_closes_at = event.starts_at - timedelta(days=20)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "Registration must close after it opens." in error.value.message_dict["registration_closes_at"]

    event.registration_closes_at = event.ends_at + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "cannot close after the event has ended" in str(error.value)


@pytest.mark.parametrize("code", ["IPEG 02 2020S", "IPEG 01 2020", "CTI 12 2019A"])
def test_apec_project_codes_are_accepted(event, code):
    event.project_code = code
    event.full_clean()


@pytest.mark.parametrize("code", ["ipeg 02 2020S", "IPEG-02-2020S", "IPEG 2 2020S", "<script>"])
def test_malformed_project_codes_are_refused_with_the_expected_format(event, code):
    event.project_code = code
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "for example IPEG 02 2020S" in str(error.value)


def test_venue_time_zone_must_be_an_iana_name():
    venue = Venue(name="PICC", city="Putrajaya", economy="MY", timezone="Malaysia Time")
    with pytest.raises(ValidationError) as error:
        venue.full_clean()
    assert "is not an IANA time zone" in str(error.value)
    venue.timezone = "Asia/Kuala_Lumpur"
    venue.full_clean()


def test_agenda_item_must_end_after_it_starts(event):
    item = AgendaItem(event=event, title="Opening", starts_at=event.starts_at, ends_at=event.starts_at)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["ends_at"] == ["A session must end after it starts."]


def test_agenda_item_must_lie_within_its_event_and_the_message_names_the_local_window(event):
    item = AgendaItem(
        event=event,
        title="Too early",
        starts_at=event.starts_at - timedelta(hours=1),
        ends_at=event.starts_at + timedelta(minutes=30),
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    message = " ".join(error.value.messages)
    assert "03 Mar 2031 09:00" in message and "Pacific/Auckland" in message


def test_agenda_item_uid_is_stable_when_title_and_time_change(event):
    item = add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    uid = item.uid
    item.title = "Opening remarks"
    item.starts_at += timedelta(minutes=30)
    item.ends_at += timedelta(minutes=30)
    item.save()
    item.refresh_from_db()
    assert item.uid == uid


def test_cluster_name_reads_the_apec_way():
    cluster = MeetingCluster(meeting="SOM1", year=2020, host_city="Putrajaya", host_economy="MY")
    assert str(cluster) == "SOM1 2020, Putrajaya"


def test_event_time_zone_comes_from_its_venue(event):
    assert event.tz == ZoneInfo("Pacific/Auckland")
