"""Never overbooked, proven on PostgreSQL with real concurrent connections.

These tests run in the PostgreSQL session of ``make test`` (DATABASE_URL
pointing at PostgreSQL); SQLite serialises writers and would prove nothing.
"""

import random
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connections
from django.db.models import Count
from django.utils import timezone

from registrations import services
from registrations.models import ParticipantProfile, Registration

from ..factories import make_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# PostgreSQL here allows 100 connections; the threads share at most this many at
# once (the rest wait for one, as behind a connection pool), so every one of the
# 100 registrations is in flight together while the server stays within limits.
MAX_CONNECTIONS_USED = 80


def users(count, prefix="racer"):
    password = make_password(None)
    created = get_user_model().objects.bulk_create(
        get_user_model()(email=f"{prefix}{n}@example.org", password=password) for n in range(count)
    )
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(user=user, full_name=f"Racer {n}", economy="NZ") for n, user in enumerate(created)
    )
    return created


def event_with(capacity):
    now = timezone.now()
    return make_event(
        "race", starts_at=now + timedelta(days=20), ends_at=now + timedelta(days=20, hours=6), capacity=capacity
    )


def run_concurrently(calls):
    """Start every call at the same instant, each in its own thread with its own connection."""
    barrier = threading.Barrier(len(calls))
    slots = threading.BoundedSemaphore(MAX_CONNECTIONS_USED)
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        with slots:
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


def slow_seat_count(monkeypatch):
    """Widen the window between "count the seats" and "take one", so that a
    missing lock would show at once."""
    original = services.seats_free

    def seats_free(event):
        free = original(event)
        time.sleep(0.02)
        return free

    monkeypatch.setattr(services, "seats_free", seats_free)


def test_a_hundred_simultaneous_registrations_for_ten_seats(monkeypatch):
    event = event_with(10)
    racers = users(100)
    slow_seat_count(monkeypatch)
    outcomes = run_concurrently([lambda user=user: services.register(event, user) for user in racers])

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert errors == []
    registrations = list(Registration.objects.filter(event=event).order_by("queued_at", "pk"))
    assert len(registrations) == 100
    assert [r.status for r in registrations] == ["confirmed"] * 10 + ["waitlisted"] * 90
    # Arrival order is the order in which the lock was granted: queue times rise with insertion order.
    assert [r.pk for r in registrations] == sorted(r.pk for r in registrations)
    assert [r.pk for r in services.waiting_list(event)] == [r.pk for r in registrations[10:]]


def test_without_the_row_lock_the_same_race_overbooks(monkeypatch):
    """The control experiment: the lock, not luck, keeps the count right."""
    event = event_with(10)
    racers = users(100, "unlocked")
    slow_seat_count(monkeypatch)
    monkeypatch.setattr(services, "_locked_event", lambda event: type(event).objects.get(pk=event.pk))
    run_concurrently([lambda user=user: services.register(event, user) for user in racers])
    assert Registration.objects.filter(event=event, status="confirmed").count() > 10


def test_random_registrations_cancellations_and_capacity_changes_keep_the_invariants():
    event = event_with(5)
    people = users(40, "mixed")
    rng = random.Random(20260217)

    def register(user):
        try:
            return services.register(event, user)
        except services.RegistrationRefused:
            return "refused"  # already registered: expected in a random mix

    def cancel(user):
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration is None:
            return "nothing to cancel"
        try:
            return services.cancel(registration, actor=None)
        except services.RegistrationRefused:
            return "already cancelled"

    def change_capacity(capacity):
        try:
            return services.set_capacity(event, capacity, actor=None)
        except services.RegistrationRefused:
            return "refused: below the seats taken"

    calls = []
    for _ in range(150):
        user = rng.choice(people)
        roll = rng.random()
        if roll < 0.6:
            calls.append(lambda user=user: register(user))
        elif roll < 0.9:
            calls.append(lambda user=user: cancel(user))
        else:
            capacity = rng.randint(2, 12)
            calls.append(lambda capacity=capacity: change_capacity(capacity))
    outcomes = run_concurrently(calls)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    event.refresh_from_db()
    seated = Registration.objects.filter(event=event, status__in=Registration.SEATED).count()
    waitlisted = Registration.objects.filter(event=event, status="waitlisted").count()
    assert seated <= event.capacity
    if waitlisted:
        assert seated == event.capacity, "a seat is free while people wait"
    duplicates = Registration.objects.values("event", "user").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicates.exists()
    assert seated + waitlisted > 0
