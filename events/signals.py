"""What other apps may react to. Events does not know who listens:
registrations uses these to notify participants."""

from django.dispatch import Signal

# sender=Event class; kwargs: event, previous_number (None for the first), version
agenda_published = Signal()
# sender=Event class; kwargs: event
event_cancelled = Signal()
