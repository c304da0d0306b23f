"""Two phones at the door scanning the same badge at the same moment, and a
queue flushed twice at once: each person is checked in once, on PostgreSQL
with real concurrent connections (SQLite serialises writers and proves nothing)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Registration

from ..factories import make_event, make_user
from .test_concurrency import run_concurrently, users

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PHONES = 12


def test_simultaneous_scans_of_one_badge_check_in_once():
    organiser = make_user("door@example.org", full_name="Dora Door")
    now = timezone.now()
    event = make_event(
        "door-race", starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=8), organisers=[organiser]
    )
    people = [services.register(event, user) for user in users(5, "guest")]
    clients = []
    for _ in range(PHONES):
        client = Client()
        client.force_login(organiser)
        clients.append(client)
    url = reverse("desk:checkin_scan", args=[event.slug])
    # Every phone sends the same badge, then the whole offline queue (all five people, twice).
    queue = [{"id": f"{n}-{person.pk}", "code": person.checkin_code} for n in range(2) for person in people]

    def phone(client, scans):
        response = client.post(url, json.dumps({"scans": scans}), content_type="application/json")
        return response.status_code, [result["outcome"] for result in response.json()["results"]]

    badge = [{"code": people[0].checkin_code}]
    outcomes = run_concurrently([lambda c=c: phone(c, badge) for c in clients[: PHONES // 2]])
    outcomes += run_concurrently([lambda c=c: phone(c, queue) for c in clients[PHONES // 2 :]])
    assert all(status == 200 for status, _ in outcomes), outcomes
    answers = [outcome for _, results in outcomes for outcome in results]
    assert answers.count("checked_in") == 5, answers  # one per person, whichever phone got there first
    assert set(answers) == {"checked_in", "already_checked_in"}
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status=Registration.Status.ATTENDED).count() == 5
    assert all(row.checked_in_at is not None for row in rows)
