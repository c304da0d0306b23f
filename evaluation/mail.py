"""Survey invitations and reminders as the delivery ledger sends them: the
builder of each mail and the check, when it is sent, that it is still wanted.
Registered with registrations/ by EvaluationConfig.ready()."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from events.timezones import venue_time
from registrations.bulk_mail import BulkEmail
from registrations.models import Delivery

from . import tokens
from .models import Invitation, Survey


def _survey_id(delivery):
    return int(delivery.key.split(":", 1)[0])


def _invitation(delivery):
    invitations = Invitation.objects.select_related("survey")
    return invitations.get(survey_id=_survey_id(delivery), registration_id=delivery.registration_id)


def survey_url(invitation):
    return f"{settings.SITE_URL}{reverse('evaluation:answer', args=[tokens.token_for(invitation)])}"


def build(delivery, shared, sample=False):
    invitation = _invitation(delivery)
    survey, registration = invitation.survey, delivery.registration
    event = registration.event
    reminder = delivery.kind == Delivery.Kind.SURVEY_REMINDER
    context = {
        "name": registration.user.display_name,
        "event": event,
        "survey": survey,
        "reminder": reminder,
        # A sample shown to an organiser must not answer for the participant.
        "url": f"{settings.SITE_URL}/surveys/sample-link-not-active/" if sample else survey_url(invitation),
        # Formatted here: the date filter would show it in the server's zone.
        "closes": f"{venue_time(survey.closes_at, event.tz)}; {event.venue.timezone}",
    }
    subject = f"{'Reminder: ' if reminder else ''}{survey.title}"
    message = BulkEmail(
        subject=subject,
        body=render_to_string("emails/survey_invitation.txt", context),
        to=[registration.user.email],
        headers={"Message-ID": delivery.message_id},
    )
    message.attach_alternative(render_to_string("emails/survey_invitation.html", context), "text/html")
    return message


def still_wanted(delivery, now):
    """Why a survey mail must not go now, or None: the survey is no longer
    open, or (a reminder) its person has answered since it was planned."""
    try:
        invitation = _invitation(delivery)
    except Invitation.DoesNotExist:
        return "no invitation to this survey"
    survey = invitation.survey
    if survey.status != Survey.Status.OPEN or survey.closes_at <= now:
        return "survey is closed"
    if invitation.answered:
        return "already answered"
    return None
