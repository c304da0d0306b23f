"""What the event page shows of its reader's registration: added to the
page's context through events.event_page (registered in apps.py), as events
may not import registrations."""

from django.db.models import Q

from . import services
from .models import Registration


def waiting_list_position(registration):
    """1 for the first on the waiting list; the queue order is services.waiting_list's."""
    ahead = services.waiting_list(registration.event).filter(
        Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def reader_registration(event, user):
    """The reader's registration for the event: the active one, else the
    latest (cancelled or declined), else None."""
    if not user.is_authenticated:
        return None
    rows = Registration.objects.filter(event=event, user=user).order_by("-queued_at", "-pk")
    registrations = list(rows[:5])
    active = [registration for registration in registrations if registration.is_active]
    return (active or registrations or [None])[0]


def event_page_context(request, event):
    registration = reader_registration(event, request.user)
    context = {"registration": registration, "seats_left": services.seats_free(event)}
    if registration is not None:
        registration.event = event
        if registration.status == Registration.Status.WAITLISTED:
            context["waiting_list_position"] = waiting_list_position(registration)
        context["letter_ready"] = bool(
            registration.invitation_letter and registration.holds_seat and registration.passport_number
        )
    return context
