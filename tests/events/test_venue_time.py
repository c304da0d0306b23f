"""The desk's one way of showing a time: in the venue's zone, named by its
place and the offset in force then, so the hour either side of a
daylight-saving change reads right."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template

from events.timezones import short_offset, venue_time

AUCKLAND = ZoneInfo("Pacific/Auckland")


def test_either_side_of_new_zealand_daylight_saving_ending():
    # NZDT (UTC+13) ends on Sunday 6 April 2031 at 03:00, back to NZST (UTC+12).
    before = datetime(2031, 4, 5, 1, 5, tzinfo=UTC)
    after = datetime(2031, 4, 7, 1, 5, tzinfo=UTC)
    assert venue_time(before, AUCKLAND) == "5 Apr 2031, 14:05 Auckland time (UTC+13)"
    assert venue_time(after, AUCKLAND) == "7 Apr 2031, 13:05 Auckland time (UTC+12)"
    # The repeated hour of the change itself: the same wall clock, two offsets.
    assert venue_time(datetime(2031, 4, 5, 13, 30, tzinfo=UTC), AUCKLAND, with_date=False) == (
        "02:30 Auckland time (UTC+13)"
    )
    assert venue_time(datetime(2031, 4, 5, 14, 30, tzinfo=UTC), AUCKLAND, with_date=False) == (
        "02:30 Auckland time (UTC+12)"
    )


def test_places_with_spaces_half_hours_and_negative_offsets():
    moment = datetime(2031, 1, 15, 12, 0, tzinfo=UTC)
    assert venue_time(moment, ZoneInfo("America/Argentina/Buenos_Aires")) == (
        "15 Jan 2031, 09:00 Buenos Aires time (UTC-3)"
    )
    assert venue_time(moment, ZoneInfo("Asia/Kolkata")).endswith("17:30 Kolkata time (UTC+5:30)")
    assert short_offset(moment.astimezone(ZoneInfo("Asia/Kuala_Lumpur"))) == "UTC+8"


def test_the_template_filter_takes_an_event_or_a_zone():
    class Event:
        tz = AUCKLAND

    template = Template(
        "{% load event_times %}{{ when|venue_time:event }}|{{ when|venue_time:zone }}|{{ none|venue_time:event }}"
    )
    moment = datetime(2031, 3, 3, 1, 5, tzinfo=UTC)
    text = template.render(Context({"when": moment, "event": Event(), "zone": AUCKLAND, "none": None}))
    assert text == "3 Mar 2031, 14:05 Auckland time (UTC+13)|3 Mar 2031, 14:05 Auckland time (UTC+13)|"
