"""Two organisers approving in bulk at the same instant never overbook: each
batch takes the event's row lock once and counts the free seats under it.
Proven on PostgreSQL with real concurrent connections, beside the control
experiment that shows the race is real without the lock."""

import pytest
from django.utils import timezone

from registrations import services
from registrations.models import Registration

from .test_concurrency import event_with, run_concurrently, slow_seat_count, users

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def pending(event, count, prefix):
    now = timezone.now()
    return Registration.objects.bulk_create(
        Registration(event=event, user=user, status=Registration.Status.PENDING, queued_at=now)
        for user in users(count, prefix)
    )


def two_desks_approve_at_once(event, registrations):
    halves = [registrations[0::2], registrations[1::2]]
    return run_concurrently(
        [lambda half=half: services.decide_many(event, [r.uid for r in half], "approve", actor=None) for half in halves]
    )


def test_two_bulk_approvals_at_once_never_overbook(monkeypatch):
    event = event_with(10)
    registrations = pending(event, 40, "bulk")
    slow_seat_count(monkeypatch)
    outcomes = two_desks_approve_at_once(event, registrations)

    assert [type(outcome).__name__ for outcome in outcomes] == ["BulkOutcome", "BulkOutcome"]
    assert Registration.objects.filter(event=event, status="confirmed").count() == 10
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 30
    # The two batches together seated exactly the seats there were.
    assert sum(outcome.count("confirmed") for outcome in outcomes) == 10
    assert sum(outcome.count("waitlisted") for outcome in outcomes) == 30


def test_asked_to_warn_a_batch_that_no_longer_fits_changes_nothing(monkeypatch):
    """The full-event warning is decided under the lock: of two batches of 8
    for 10 seats, one is approved and the other is told it would waitlist,
    and changes nothing."""
    event = event_with(10)
    registrations = pending(event, 16, "warned")
    slow_seat_count(monkeypatch)
    halves = [registrations[:8], registrations[8:]]
    outcomes = run_concurrently(
        [
            lambda half=half: services.decide_many(
                event, [r.uid for r in half], "approve", actor=None, waitlist_if_full=False
            )
            for half in halves
        ]
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, services.WouldWaitlist)]
    assert len(refused) == 1 and (refused[0].free, refused[0].pending) == (2, 8)
    assert Registration.objects.filter(event=event, status="confirmed").count() == 8
    assert Registration.objects.filter(event=event, status="pending").count() == 8


def test_without_the_row_lock_two_bulk_approvals_overbook(monkeypatch):
    """The control experiment: the lock, not luck, keeps the count right."""
    event = event_with(10)
    registrations = pending(event, 40, "unlocked-bulk")
    slow_seat_count(monkeypatch)
    monkeypatch.setattr(services, "_locked_event", lambda event: type(event).objects.get(pk=event.pk))
    two_desks_approve_at_once(event, registrations)
    assert Registration.objects.filter(event=event, status="confirmed").count() > 10
