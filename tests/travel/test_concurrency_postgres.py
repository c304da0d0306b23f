"""The places per economy are never exceeded, proven on PostgreSQL with real
concurrent connections (SQLite serialises writers and would prove nothing)."""

import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connections
from django.utils import timezone

from events.models import Event
from registrations import services as registration_services
from registrations.models import Registration
from travel import services
from travel.models import FundedTraveller, TravelFunding

from ..factories import make_event, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            outcomes[index] = call()
        except Exception as error:  # collected and asserted on below
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def slow_funding(monkeypatch):
    """Widen the window between "count the places used" and "take one" (the
    registration's funding is set in between), so that a missing lock would
    show at once."""
    original = registration_services.set_funding

    def set_funding(*args, **kwargs):
        time.sleep(0.02)
        return original(*args, **kwargs)

    monkeypatch.setattr(registration_services, "set_funding", set_funding)


def race(monkeypatch):
    """Twenty seated participants, ten from Chile and ten from Peru, funded by
    twenty organisers at the same instant for three places per economy."""
    organiser = make_user("organiser@example.org")
    services.set_eligibility({"CL", "PE"}, actor=None)
    now = timezone.now()
    event = make_event("race", starts_at=now + timedelta(days=20), ends_at=now + timedelta(days=21))
    TravelFunding.objects.create(event=event, places_per_economy=3)
    seated = [
        Registration.objects.create(
            event=event,
            user=make_user(f"racer{n}@example.org", economy=economy),
            economy=economy,
            status=Registration.Status.CONFIRMED,
            queued_at=now,
        )
        for n, economy in enumerate(["CL", "PE"] * 10)
    ]
    slow_funding(monkeypatch)
    return event, run_concurrently(
        [lambda r=registration: services.fund(r, "apec_participant", actor=organiser) for registration in seated]
    )


def test_twenty_organisers_funding_at_once_never_exceed_three_places_per_economy(monkeypatch):
    event, outcomes = race(monkeypatch)
    funded = [outcome for outcome in outcomes if isinstance(outcome, FundedTraveller)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, services.TravelRefused)]
    assert len(funded) == 6 and len(refused) == 14, outcomes
    assert {str(error) for error in refused} <= {
        "Chile has used its 3 funded places for this event.",
        "Peru has used its 3 funded places for this event.",
    }
    assert sorted(FundedTraveller.objects.values_list("economy", flat=True)) == ["CL"] * 3 + ["PE"] * 3
    assert Registration.objects.filter(event=event, funding="apec_participant").count() == 6


def test_without_the_lock_on_the_event_the_same_race_exceeds_the_places(monkeypatch):
    """The control experiment: the race above is real, and the lock is what wins it."""

    class Unlocked:
        objects = SimpleNamespace(select_for_update=lambda: Event.objects)

    monkeypatch.setattr(services, "Event", Unlocked)
    event, outcomes = race(monkeypatch)
    assert FundedTraveller.objects.filter(registration__event=event).count() > 6, outcomes
