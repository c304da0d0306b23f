"""Times are stored in UTC and shown in the venue's zone, named, including
across New Zealand's change from daylight saving time (first Sunday of April)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.models import AgendaItem
from events.timezones import localize, zone_label

from ..factories import add_item, make_event

pytestmark = pytest.mark.django_db
AUCKLAND = ZoneInfo("Pacific/Auckland")


@pytest.fixture
def dst_event(organiser, auckland):
    # NZ daylight saving ends on Sunday 6 April 2031 at 03:00 NZDT.
    event = make_event(
        "across-dst",
        venue=auckland,
        starts_at=datetime(2031, 4, 5, 9, 0, tzinfo=AUCKLAND),
        ends_at=datetime(2031, 4, 7, 17, 0, tzinfo=AUCKLAND),
        organisers=[organiser],
    )
    add_item(event, "Saturday opening", datetime(2031, 4, 5, 9, 0))
    add_item(event, "Sunday late session", datetime(2031, 4, 6, 23, 30))
    add_item(event, "Monday opening", datetime(2031, 4, 7, 9, 0))
    services.publish_agenda(event, actor=organiser)
    return event


def test_wall_clock_times_are_stored_as_the_right_utc_instants(dst_event):
    stored = {item.title: item.starts_at for item in AgendaItem.objects.filter(event=dst_event)}
    assert stored["Saturday opening"] == datetime(2031, 4, 4, 20, 0, tzinfo=UTC)  # NZDT, UTC+13
    assert stored["Monday opening"] == datetime(2031, 4, 6, 21, 0, tzinfo=UTC)  # NZST, UTC+12


def test_agenda_shows_nine_oclock_on_both_sides_of_the_change_with_each_zone_named(client, dst_event):
    page = client.get(f"/events/{dst_event.slug}/agenda/").content.decode()
    assert "Saturday 5 April 2031" in page and "Monday 7 April 2031" in page
    assert 'Times in <span class="zone-city" title="Pacific/Auckland">Auckland time</span> (NZDT, UTC+13:00)' in page
    assert 'Times in <span class="zone-city" title="Pacific/Auckland">Auckland time</span> (NZST, UTC+12:00)' in page
    assert page.count(">09:00</time>") == 2


def test_agenda_days_are_local_days_not_utc_days(client, dst_event):
    # 23:30 on Sunday in Auckland is 11:30 UTC on Sunday; 09:00 Monday is 21:00 UTC *Sunday*.
    page = client.get(f"/events/{dst_event.slug}/agenda/").content.decode()
    sunday = page.index("Sunday 6 April 2031")
    monday = page.index("Monday 7 April 2031")
    assert sunday < page.index("Sunday late session") < monday < page.index("Monday opening")


def test_reader_can_add_their_own_zone(client, dst_event):
    page = client.get(f"/events/{dst_event.slug}/agenda/?tz=Europe/London").content.decode()
    # 09:00 NZDT on 5 April is 21:00 BST on 4 April.
    assert "Fri 04 Apr 21:00" in page
    assert "BST, UTC+01:00" in page
    assert (
        'with your chosen zone (<span class="zone-city" title="Europe/London">London time, UTC+1</span>) beside them'
        in page
    )
    assert '<option value="Europe/London" selected>' in page


def test_unknown_reader_zone_is_explained_and_ignored(client, dst_event):
    response = client.get(f"/events/{dst_event.slug}/agenda/?tz=Mars/Olympus")
    assert response.status_code == 200
    page = response.content.decode()
    assert "That time zone is not known; showing venue time only." in page
    assert "Saturday opening" in page


def test_a_time_inside_the_spring_forward_gap_is_refused():
    # NZ clocks jump from 02:00 to 03:00 on Sunday 28 September 2031.
    with pytest.raises(ValidationError, match="does not exist in Pacific/Auckland"):
        localize(datetime(2031, 9, 28, 2, 30), AUCKLAND)


def test_an_ambiguous_autumn_time_takes_the_daylight_saving_reading():
    # 02:30 on 6 April 2031 happens twice in Auckland.
    assert localize(datetime(2031, 4, 6, 2, 30), AUCKLAND).utcoffset().total_seconds() == 13 * 3600


def test_zone_label_avoids_numeric_abbreviations():
    kuala_lumpur = datetime(2031, 2, 17, 9, 0, tzinfo=ZoneInfo("Asia/Kuala_Lumpur"))
    assert zone_label(kuala_lumpur) == "UTC+08:00"
    assert zone_label(datetime(2031, 1, 5, 9, 0, tzinfo=AUCKLAND)) == "NZDT, UTC+13:00"
