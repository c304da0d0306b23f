"""Read rules about registrations used in more than one place."""

from django.db.models import Count, Q

from .models import Registration


def may_read_registered_documents(event, user):
    """Documents for registered participants are for people holding a seat
    (confirmed or attended), not pending or waitlisted ones."""
    return Registration.objects.filter(event=event, user=user, status__in=Registration.SEATED).exists()


def of_event(event):
    """An event's registrations as the desk lists them: in queue order, with
    the person's profile."""
    return Registration.objects.filter(event=event).select_related("user__profile").order_by("queued_at", "pk")


def matching(registrations, text):
    """The registration search of the desk and the check-in desk: name, e-mail
    or organisation containing the text."""
    return registrations.filter(
        Q(user__profile__full_name__icontains=text) | Q(user__email__icontains=text) | Q(organisation__icontains=text)
    )


def status_counts(event):
    """How many registrations the event has in each status, and seated."""
    Status = Registration.Status
    counts = Registration.objects.filter(event=event).aggregate(
        **{status.value: Count("pk", filter=Q(status=status.value)) for status in Status}
    )
    counts["seated"] = counts[Status.CONFIRMED] + counts[Status.ATTENDED]
    return counts
