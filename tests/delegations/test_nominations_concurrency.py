"""An economy's quota is never exceeded, proven on PostgreSQL with 50
nominations at once, each on its own connection; and the control
experiment: without the event's row lock the same race overshoots."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from delegations import nominations, queries
from delegations.models import FocalPoint, Nomination
from events.models import Event
from registrations.models import Registration

from ..factories import make_event, make_user
from ..registrations.test_concurrency import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

QUOTA, RACERS = 10, 50


@pytest.fixture
def delegation():
    now = timezone.now()
    event = make_event(
        "race-plenary", kind=Event.Kind.IPEG_MEETING, starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=8),
    )  # fmt: skip
    focal_point = make_user("focal@inapi.example", economy="CL")
    FocalPoint.objects.create(user=focal_point, economy="CL", event=event)
    nominations.set_quota(event, "CL", QUOTA, actor=None)
    return event, focal_point


def slow_count(monkeypatch):
    """Widen the window between counting the nominations and adding one, so
    that a missing lock would show at once."""
    original = queries.active_nominations

    class Slow:
        def __init__(self, nominated):
            self.nominated = nominated

        def count(self):
            counted = self.nominated.count()
            time.sleep(0.02)
            return counted

    monkeypatch.setattr(queries, "active_nominations", lambda event, economy: Slow(original(event, economy)))


def race(event, focal_point):
    return run_concurrently(
        [
            lambda n=n: nominations.nominate(
                event,
                "CL",
                email=f"delegate{n}@inapi.example",
                full_name=f"Delegate {n}",
                participation_type="delegate",
                actor=focal_point,
            )
            for n in range(RACERS)
        ]
    )


def test_fifty_simultaneous_nominations_never_exceed_the_quota(monkeypatch, delegation):
    event, focal_point = delegation
    slow_count(monkeypatch)
    outcomes = race(event, focal_point)

    made = [outcome for outcome in outcomes if isinstance(outcome, Nomination)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, nominations.NominationRefused)]
    assert len(made) == QUOTA and len(refused) == RACERS - QUOTA, outcomes
    assert {refusal.code for refusal in refused} == {"quota"}
    assert Nomination.objects.filter(event=event, economy="CL").count() == QUOTA
    assert Registration.objects.filter(event=event, status="pending").count() == QUOTA


def test_without_the_row_lock_the_same_race_exceeds_the_quota(monkeypatch, delegation):
    """The control experiment: the lock, not luck, keeps the count right."""
    event, focal_point = delegation
    slow_count(monkeypatch)
    monkeypatch.setattr(nominations, "_locked_event", lambda event: type(event).objects.get(pk=event.pk))
    race(event, focal_point)
    assert Nomination.objects.filter(event=event, economy="CL").count() > QUOTA
