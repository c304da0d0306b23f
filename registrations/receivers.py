"""Participants hear about changes to their events."""

from django.dispatch import receiver

from events.models import Event
from events.signals import agenda_published, event_cancelled
from ops.dispatch import after_commit

from . import reminders


@receiver(agenda_published)
def notice_of_agenda_change(sender, event, previous_number, version, **kwargs):
    # The first publication is the agenda itself, announced by the event page;
    # later ones are changes people must hear about.
    if previous_number is not None and event.status == Event.Status.PUBLISHED:
        reminders.queue_agenda_change(event, previous_number, version.number)


@receiver(event_cancelled)
def tell_everyone_once(sender, event, **kwargs):
    reminders.drop_for_cancelled_event(event)
    from .tasks import dispatch_due

    after_commit(dispatch_due)
