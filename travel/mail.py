"""Mails to funded travellers, all through the registrations app's delivery
ledger: notices of funding and of each step of the claim, and reminders
before and after the claim's due date to those who have not submitted it.
Registered with registrations/ by TravelConfig.ready()."""

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ops.dispatch import after_commit
from registrations.bulk_mail import BulkEmail
from registrations.models import Delivery

SUBJECTS = {
    "funded": "Your travel is funded",
    "unfunded": "Travel funding withdrawn",
    "submitted": "Travel claim received",
    "accepted": "Travel claim accepted",
    "returned": "Travel claim returned for changes",
}
# Days before the due date (negative: after it) on which a traveller whose
# claim is not submitted is reminded: a week ahead, and a week late.
REMINDER_DAYS = (7, -7)
# Reminders go out at this hour of the venue's day.
REMINDER_HOUR = time(9, 0)
GRACE_DAYS = 3


def queue(registration, what, **payload):
    """Write the notice as a delivery row in the caller's transaction; a
    worker sends it after commit (as registrations.notifications.queue)."""
    from registrations.tasks import send_now

    delivery = Delivery.objects.create(
        registration=registration,
        kind=Delivery.Kind.TRAVEL_NOTICE,
        key=f"{what}-{uuid.uuid4().hex[:16]}",
        due_at=timezone.now(),
        payload={"mail": what, **payload},
    )
    after_commit(send_now, [delivery.pk])


def reminder_key(traveller, days):
    return f"claim:{traveller.pk}:{days}"


def reminder_due(traveller, event, days):
    day = traveller.claim_due_on - timedelta(days=days)
    return datetime.combine(day, REMINDER_HOUR, tzinfo=event.tz)


def planned_reminders(now):
    """Unsaved reminder rows that have fallen due (and not more than
    GRACE_DAYS ago: a traveller funded late is not sent last month's
    reminder), for travellers whose event is over and whose claim is not
    submitted. Three queries per reminder day, whatever the number of
    travellers; the delivery's unique key makes a second one impossible anyway."""
    from .models import FundedTraveller

    today = now.date()
    rows = []
    for days in REMINDER_DAYS:
        candidates = list(
            FundedTraveller.objects.filter(
                claim_state__in=FundedTraveller.OPEN,
                registration__event__ends_at__lte=now,
                claim_due_on__range=(today + timedelta(days=days - GRACE_DAYS), today + timedelta(days=days + 1)),
            ).select_related("registration__event__venue")
        )
        planned = set(
            Delivery.objects.filter(
                kind=Delivery.Kind.CLAIM_REMINDER,
                registration_id__in=[traveller.registration_id for traveller in candidates],
            ).values_list("key", flat=True)
        )
        for traveller in candidates:
            due = reminder_due(traveller, traveller.registration.event, days)
            key = reminder_key(traveller, days)
            if due <= now and key not in planned:
                rows.append(
                    Delivery(
                        registration_id=traveller.registration_id,
                        kind=Delivery.Kind.CLAIM_REMINDER,
                        key=key,
                        due_at=due,
                    )
                )
    return rows


def _traveller_id(delivery):
    if delivery.kind == Delivery.Kind.CLAIM_REMINDER:
        return int(delivery.key.split(":")[1])
    return delivery.payload.get("traveller")


def _traveller(delivery):
    from .models import FundedTraveller

    pk = _traveller_id(delivery)
    return FundedTraveller.objects.filter(pk=pk, registration_id=delivery.registration_id).first() if pk else None


def claim_url(registration):
    return f"{settings.SITE_URL}{reverse('travel:claim', args=[registration.uid])}"


def build(delivery, shared, sample=False):
    registration = delivery.registration
    event = registration.event
    traveller = _traveller(delivery)
    reminder = delivery.kind == Delivery.Kind.CLAIM_REMINDER
    what = "reminder" if reminder else delivery.payload["mail"]
    context = {
        "what": what,
        "name": registration.user.display_name,
        "event": event,
        "traveller": traveller,
        "reason": delivery.payload.get("reason", "") or (traveller.claim_reason if traveller else ""),
        "url": claim_url(registration),
        "overdue": reminder and int(delivery.key.rsplit(":", 1)[1]) < 0,
    }
    if reminder:
        due = f"{traveller.claim_due_on:%-d %B %Y}"
        subject = f"{'Overdue' if context['overdue'] else 'Reminder'}: your travel claim for {event.title} is due {due}"
    else:
        subject = f"{SUBJECTS[what]}: {event.title}"
    message = BulkEmail(
        subject=subject,
        body=render_to_string("emails/travel_notice.txt", context),
        to=[registration.user.email],
        headers={"Message-ID": delivery.message_id},
    )
    message.attach_alternative(render_to_string("emails/travel_notice.html", context), "text/html")
    return message


def still_wanted(delivery, now):
    """Why a travel mail must not go now, or None: the funding was withdrawn
    since it was written, or (a reminder) the claim has been submitted."""
    if delivery.kind == Delivery.Kind.TRAVEL_NOTICE and delivery.payload.get("mail") == "unfunded":
        return None
    traveller = _traveller(delivery)
    if traveller is None:
        return "no longer funded"
    if delivery.kind == Delivery.Kind.CLAIM_REMINDER:
        if not traveller.is_open:
            return f"claim already {traveller.get_claim_state_display().lower()}"
        if delivery.registration.status == delivery.registration.Status.CANCELLED:
            return "registration is cancelled"
    return None
