"""Who may use which organiser page, decided here and nowhere else. Every desk
view reaches its event through ``managed_event``: an organiser of one event
gets a 404 for any other, exactly as if it did not exist."""

from django.shortcuts import get_object_or_404

from events.models import Event
from registrations import queries


def managed_event(request, slug):
    return get_object_or_404(Event.objects.managed_by(request.user).select_related("venue"), slug=slug)


def managed_registration(request, slug, uid):
    event = managed_event(request, slug)
    return event, get_object_or_404(queries.of_event(event), uid=uid)
