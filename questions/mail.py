"""Reminders of follow-up forms through the registrations app's delivery
ledger: planned for seated participants who have not filled the form in,
once each (key "<form>:<days before>"), and skipped if they fill it in
before the mail goes. Registered by QuestionsConfig.ready()."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from events.models import Event
from registrations.bulk_mail import BulkEmail
from registrations.models import Delivery, Registration

from . import queries
from .models import Completion, FollowUpForm

# Reminders go out at this hour of the venue's day.
REMINDER_HOUR = time(9, 0)
# A reminder planned late (a participant seated after its day) is still sent
# within these days; older ones are not.
GRACE_DAYS = 2


def reminder_key(form, days):
    return f"{form.pk}:{days}"


def reminder_due(form, days):
    return datetime.combine(form.due_on - timedelta(days=days), REMINDER_HOUR, tzinfo=form.event.tz)


def planned_reminders(now):
    """Unsaved reminder rows that have fallen due: for each form still open
    and each of its reminder days due now, every seated registration of its
    event that has not completed it. Three queries per form with a reminder due."""
    rows = []
    today = now.date()
    forms = FollowUpForm.objects.filter(
        due_on__gte=today - timedelta(days=1), event__status=Event.Status.PUBLISHED
    ).select_related("event__venue")
    for form in forms:
        days_due = [
            days
            for days in form.reminder_days_before
            if reminder_due(form, days) <= now < reminder_due(form, days) + timedelta(days=GRACE_DAYS)
        ]
        if not days_due or not queries.is_open(form, now):
            continue
        done = Completion.objects.filter(form=form).values_list("registration_id", flat=True)
        waiting = Registration.objects.filter(event_id=form.event_id, status__in=Registration.SEATED).exclude(
            pk__in=done
        )
        ids = list(waiting.values_list("pk", flat=True))
        for days in days_due:
            rows += [
                Delivery(
                    registration_id=pk,
                    kind=Delivery.Kind.FOLLOWUP_REMINDER,
                    key=reminder_key(form, days),
                    due_at=reminder_due(form, days),
                )
                for pk in ids
            ]
    return rows


def _form(delivery):
    return FollowUpForm.objects.select_related("event__venue").filter(pk=int(delivery.key.split(":")[0])).first()


def form_url(registration, form):
    return f"{settings.SITE_URL}{reverse('questions:followup', args=[registration.uid, form.pk])}"


def build(delivery, shared, sample=False):
    registration = delivery.registration
    form = _form(delivery)
    event = registration.event
    context = {
        "name": registration.user.display_name,
        "event": event,
        "form": form,
        "due": f"{form.due_on:%-d %B %Y}",
        # A sample shown to an organiser is not the participant's own link.
        "url": f"{settings.SITE_URL}/forms/sample-link-not-active/" if sample else form_url(registration, form),
    }
    message = BulkEmail(
        subject=f"Reminder: please complete “{form.title}” for {event.title} by {context['due']}",
        body=render_to_string("emails/followup_form_reminder.txt", context),
        to=[registration.user.email],
        headers={"Message-ID": delivery.message_id},
    )
    message.attach_alternative(render_to_string("emails/followup_form_reminder.html", context), "text/html")
    return message


def still_wanted(delivery, now):
    """Why a reminder must not go now, or None."""
    form = _form(delivery)
    if form is None:
        return "form removed"
    registration = delivery.registration
    if registration.event.status != Event.Status.PUBLISHED:
        return f"event is {registration.event.status}"
    if not registration.holds_seat:
        return f"registration is {registration.status}"
    if not queries.is_open(form, now):
        return "form is past its due date"
    if Completion.objects.filter(form=form, registration=registration).exists():
        return "already completed"
    return None
