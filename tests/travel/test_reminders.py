"""Claim reminders a week before and a week after the due date, through the
delivery ledger: once each, only to travellers whose claim is not
submitted, and skipped with a reason when it is submitted meanwhile."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail

from registrations import reminders
from registrations.models import Delivery, Registration
from travel import services

from .conftest import seat, upload

pytestmark = pytest.mark.django_db


def at(traveller, days_before_due, hour=10):
    day = traveller.claim_due_on - timedelta(days=days_before_due)
    return datetime.combine(day, time(hour), tzinfo=traveller.registration.event.tz)


def submitted(workshop, organiser, email, economy):
    traveller = services.fund(seat(workshop, email, economy), "apec_speaker", actor=organiser)
    for kind in ("e_ticket", "boarding_pass"):
        services.add_document(traveller, kind, upload(), "application/pdf", f"{kind}.pdf", actor=None)
    return services.submit_claim(traveller, actor=None)


def test_a_week_before_and_a_week_after_the_due_date_once_each_and_only_to_those_not_submitted(
    workshop, traveller, organiser
):
    submitted(workshop, organiser, "pia@example.org", "PE")
    mail.outbox.clear()
    Delivery.objects.all().delete()  # the funding and claim notices, sent already

    assert reminders.send_due(now=at(traveller, 8)) == 0
    assert reminders.send_due(now=at(traveller, 7)) == 1
    assert reminders.send_due(now=at(traveller, 7, hour=11)) == 0
    [reminder] = mail.outbox
    assert reminder.to == ["carla@example.org"]
    assert reminder.subject.startswith("Reminder: your travel claim for Industrial Design Workshop is due ")
    assert "/travel/" in reminder.body

    assert reminders.send_due(now=at(traveller, 0)) == 0
    assert reminders.send_due(now=at(traveller, -7)) == 1
    assert reminders.send_due(now=at(traveller, -7, hour=12)) == 0
    assert reminders.send_due(now=at(traveller, -30)) == 0
    assert mail.outbox[1].subject.startswith("Overdue: your travel claim")
    assert "we have not received it" in mail.outbox[1].body
    keys = sorted(Delivery.objects.filter(kind=Delivery.Kind.CLAIM_REMINDER).values_list("key", "status"))
    assert keys == [(f"claim:{traveller.pk}:-7", "sent"), (f"claim:{traveller.pk}:7", "sent")]


def test_a_reminder_planned_before_the_claim_was_submitted_is_skipped_with_the_reason(traveller):
    reminders.plan(at(traveller, 7))
    row = Delivery.objects.get(kind=Delivery.Kind.CLAIM_REMINDER)
    for kind in ("e_ticket", "boarding_pass"):
        services.add_document(traveller, kind, upload(), "application/pdf", f"{kind}.pdf", actor=None)
    services.submit_claim(traveller, actor=None)
    mail.outbox.clear()
    reminders.send_due(now=at(traveller, 7))
    row.refresh_from_db()
    assert (row.status, row.skip_reason) == ("skipped", "claim already submitted")
    assert not [message for message in mail.outbox if "Reminder" in message.subject]


def test_a_reminder_to_someone_no_longer_funded_is_skipped(traveller, organiser):
    reminders.plan(at(traveller, 7))
    row = Delivery.objects.get(kind=Delivery.Kind.CLAIM_REMINDER)
    services.unfund(traveller, actor=organiser, reason="Came on the host's budget.")
    reminders.send_due(now=at(traveller, 7))
    row.refresh_from_db()
    assert (row.status, row.skip_reason) == ("skipped", "no longer funded")


def test_no_reminder_before_the_event_has_ended(workshop, traveller):
    workshop.ends_at = at(traveller, 6)
    workshop.save()
    assert reminders.plan(at(traveller, 7)) == 0


def test_a_reminder_to_a_traveller_whose_registration_was_cancelled_is_skipped(traveller, desk):
    from django.urls import reverse

    reminders.plan(at(traveller, 7))
    row = Delivery.objects.get(kind=Delivery.Kind.CLAIM_REMINDER)
    Registration.objects.filter(pk=traveller.registration_id).update(status="cancelled")
    reminders.send_due(now=at(traveller, 7))
    row.refresh_from_db()
    assert (row.status, row.skip_reason) == ("skipped", "registration is cancelled")
    page = desk.get(reverse("desk:travel", args=[traveller.registration.event.slug])).content.decode()
    assert 'Carla Chile</a><br><span class="muted">registration cancelled</span>' in page
