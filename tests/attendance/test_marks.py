"""attendance.services.mark: one mark per person and session, refused outside
the session's window (with the organiser's margin) and for anyone without a
seat, each refusal in words a person can act on."""

from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from attendance import services
from attendance.models import AttendanceMark
from audit.models import LogEntry
from events import services as event_services
from registrations.models import Registration

from ..factories import add_item, make_event, make_user, make_venue
from .conftest import published, seat

pytestmark = pytest.mark.django_db

Mode, Source = AttendanceMark.Mode, AttendanceMark.Source
AUCKLAND = ZoneInfo("Pacific/Auckland")


def mark(registration, item, when, **extra):
    options = {"mode": Mode.IN_PERSON, "source": Source.DOOR_SCAN, "actor": None, "now": when, **extra}
    return services.mark(registration, item.uid, **options)


@pytest.fixture
def autumn(organiser):
    """A workshop in Auckland across the end of daylight saving (6 April
    2031, 03:00 NZDT becomes 02:00 NZST): a session the day before, one
    across the change, one the day after."""
    event = make_event(
        "autumn-workshop",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=datetime(2031, 4, 5, 9, 0, tzinfo=AUCKLAND),
        ends_at=datetime(2031, 4, 7, 17, 0, tzinfo=AUCKLAND),
        organisers=[organiser],
        attendance_margin_minutes=15,
    )
    add_item(event, "Saturday session", datetime(2031, 4, 5, 9, 30), minutes=60)
    # 01:00 NZDT (12:00 UTC on the 5th) to 04:00 NZST (16:00 UTC): three
    # hours on the clock on the wall, four in fact.
    add_item(event, "Night session", datetime(2031, 4, 6, 1, 0), minutes=180)
    add_item(event, "Monday session", datetime(2031, 4, 7, 9, 30), minutes=60)
    event_services.publish_agenda(event, actor=organiser)
    event.refresh_from_db()
    person = seat(event, make_user("night@example.org", full_name="Nora Night"))
    return event, published(event), person


def test_a_mark_is_taken_from_the_margin_before_the_start_to_the_margin_after_the_end(autumn):
    event, items, person = autumn
    session = items["Saturday session"]
    opens = session.starts_at - timedelta(minutes=15)
    with pytest.raises(services.AttendanceRefused) as early:
        mark(person, session, opens - timedelta(seconds=1))
    assert early.value.reason == ("Attendance at “Saturday session” opens at 09:15 (Auckland time, UTC+13).")
    made, created = mark(person, session, opens)
    assert created and made.marked_at == opens

    closes = session.ends_at + timedelta(minutes=15)
    other = seat(event, make_user("late@example.org"))
    assert mark(other, session, closes)[1] is True
    third = seat(event, make_user("later@example.org"))
    with pytest.raises(services.AttendanceRefused) as late:
        mark(third, session, closes + timedelta(seconds=1))
    assert late.value.reason.startswith("Attendance at “Saturday session” closed at ")
    assert "10:45 (Auckland time, UTC+13)" in late.value.reason


def test_the_organisers_margin_widens_the_window(autumn):
    event, items, person = autumn
    event.attendance_margin_minutes = 45
    event.save()
    session = items["Saturday session"]
    assert mark(person, session, session.starts_at - timedelta(minutes=44))[1] is True


def test_a_session_across_the_change_of_clocks_names_each_time_with_its_own_offset(autumn):
    _, items, person = autumn
    night = items["Night session"]
    assert night.ends_at - night.starts_at == timedelta(hours=4)
    with pytest.raises(services.AttendanceRefused) as early:
        mark(person, night, night.starts_at - timedelta(hours=3))  # the evening before: the date is given
    assert "opens at 6 April 2031, 00:45 (Auckland time, UTC+13)" in early.value.reason
    with pytest.raises(services.AttendanceRefused) as late:
        mark(person, night, night.ends_at + timedelta(hours=1))
    assert "closed at 04:15 (Auckland time, UTC+12)" in late.value.reason
    with pytest.raises(services.AttendanceRefused) as monday:
        mark(person, items["Monday session"], night.ends_at)
    assert "opens at 7 April 2031, 09:15 (Auckland time, UTC+12)" in monday.value.reason


def test_the_same_person_twice_keeps_one_mark_and_says_when_the_first_was(meeting, delegates):
    opening = meeting.items["Opening"]
    first, created = mark(delegates.in_room, opening, meeting.now)
    again, created_again = mark(delegates.in_room, opening, meeting.now + timedelta(minutes=5), mode=Mode.REMOTE)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.mode == Mode.IN_PERSON
    assert AttendanceMark.objects.filter(registration=delegates.in_room).count() == 1
    local = meeting.now.astimezone(AUCKLAND)
    assert services.already(again, meeting.event, meeting.now) == (
        f"Already marked present at {local:%H:%M} (Auckland time, UTC{local.utcoffset().total_seconds() / 3600:+.0f})."
    )


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Registration.Status.PENDING, "pending approval"),
        (Registration.Status.WAITLISTED, "waitlisted"),
        (Registration.Status.DECLINED, "declined"),
        (Registration.Status.CANCELLED, "cancelled"),
    ],
)
def test_only_seated_registrations_can_be_marked(meeting, status, words):
    person = seat(meeting.event, make_user(f"{status}@example.org"), status=status)
    with pytest.raises(services.AttendanceRefused) as refused:
        mark(person, meeting.items["Opening"], meeting.now)
    assert refused.value.reason == (f"Only confirmed participants can be marked present; this registration is {words}.")
    assert not AttendanceMark.objects.exists()


def test_breaks_and_items_not_on_the_published_agenda_are_refused(meeting, delegates):
    for uid in (meeting.items["Coffee break"].uid, uuid4()):
        with pytest.raises(services.AttendanceRefused) as refused:
            services.mark(delegates.in_room, uid, mode=Mode.IN_PERSON, source=Source.DESK, actor=None)
        assert refused.value.reason == "That session is not on the event's published agenda."
    assert not AttendanceMark.objects.exists()


def test_a_mark_in_the_room_checks_the_person_in_and_an_online_one_does_not(meeting, delegates, organiser):
    opening = meeting.items["Opening"]
    mark(delegates.in_room, opening, meeting.now, actor=organiser)
    mark(delegates.online, opening, meeting.now, mode=Mode.REMOTE, source=Source.JOIN_LINK)
    delegates.in_room.refresh_from_db()
    delegates.online.refresh_from_db()
    assert delegates.in_room.status == Registration.Status.ATTENDED
    assert delegates.in_room.checked_in_at == meeting.now
    assert delegates.online.status == Registration.Status.CONFIRMED


def test_each_mark_is_in_the_activity_log_with_who_made_it(meeting, delegates, organiser):
    mark(delegates.in_room, meeting.items["Opening"], meeting.now, actor=organiser)
    entry = LogEntry.objects.get(action="attendance.marked")
    assert entry.actor == organiser
    assert entry.object_label == "Aisyah Ismail in “Opening”"
    assert entry.after == {"session": "Opening", "mode": "in_person", "source": "door_scan"}


def test_a_registration_cancelled_meanwhile_is_neither_marked_nor_checked_in(meeting, delegates):
    stale = Registration.objects.get(pk=delegates.in_room.pk)  # read while still confirmed
    Registration.objects.filter(pk=stale.pk).update(status=Registration.Status.CANCELLED)
    with pytest.raises(services.AttendanceRefused) as refused:
        mark(stale, meeting.items["Opening"], meeting.now)
    assert refused.value.reason == "Only confirmed participants can be checked in; this registration is cancelled."
    assert not AttendanceMark.objects.exists()
    assert Registration.objects.get(pk=stale.pk).checked_in_at is None
