"""Read rules used by more than one module of the app."""

from events.models import ItemKind, PublishedItem
from registrations.models import Registration

from .models import Invitation, Survey

# Sessions about which per-session questions are asked: not breaks or lunch.
NOT_ASKED_ABOUT = (ItemKind.BREAK, ItemKind.LUNCH)


def sessions_of(event):
    """The sessions of the event's current published agenda that per-session
    questions ask about, in agenda order."""
    if not event.current_version_id:
        return []
    return list(
        PublishedItem.objects.filter(version_id=event.current_version_id)
        .exclude(kind__in=NOT_ASKED_ABOUT)
        .only("uid", "title", "starts_at", "ends_at", "kind")
    )


def participants_of(survey):
    """Whom the survey asks: the evaluation's invitees for a follow-up (the same
    people, a year on), else everyone who held a seat (confirmed or attended)."""
    if survey.kind == Survey.Kind.FOLLOW_UP:
        asked = Invitation.objects.filter(survey__event_id=survey.event_id, survey__kind=Survey.Kind.EVALUATION)
        if asked.exists():
            return Registration.objects.filter(pk__in=asked.values("registration_id"))
    return Registration.objects.filter(event_id=survey.event_id, status__in=Registration.SEATED)
