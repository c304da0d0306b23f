"""One mark per person and session whatever the race, proven on PostgreSQL
with real concurrent connections (SQLite serialises writers and would prove
nothing)."""

import pytest
from django.db import connections

from attendance import services
from attendance.models import AttendanceMark
from audit.models import LogEntry
from registrations.models import Registration

from ..registrations.test_concurrency import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_marks_at_once_of_one_person_in_one_session_make_one_row(meeting, delegates, organiser):
    opening = meeting.items["Opening"]

    def mark_once():
        registration = Registration.objects.select_related("event__venue").get(pk=delegates.in_room.pk)
        made, created = services.mark(registration, opening.uid, mode="in_person", source="door_scan", actor=organiser)
        return made.pk, created

    outcomes = run_concurrently([mark_once] * 10)
    connections.close_all()
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert AttendanceMark.objects.count() == 1
    assert sorted(created for _, created in outcomes) == [False] * 9 + [True]
    assert {pk for pk, _ in outcomes} == {AttendanceMark.objects.get().pk}
    # One entry in the log and one check-in, not ten.
    assert LogEntry.objects.filter(action="attendance.marked").count() == 1
    assert LogEntry.objects.filter(action="registration.checked_in").count() == 1
    delegates.in_room.refresh_from_db()
    assert delegates.in_room.status == Registration.Status.ATTENDED


def test_marks_of_many_people_at_once_each_count(meeting, organiser):
    from ..factories import make_user
    from .conftest import seat

    people = [seat(meeting.event, make_user(f"p{n}@example.org")) for n in range(12)]
    opening = meeting.items["Opening"]

    def marker(registration):
        def mark_once():
            fresh = Registration.objects.select_related("event__venue").get(pk=registration.pk)
            return services.mark(fresh, opening.uid, mode="in_person", source="room_code", actor=fresh.user)[1]

        return mark_once

    outcomes = run_concurrently([marker(person) for person in people] * 2)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert outcomes.count(True) == 12
    assert AttendanceMark.objects.filter(item_uid=opening.uid).count() == 12
    assert Registration.objects.filter(status=Registration.Status.ATTENDED).count() == 12
