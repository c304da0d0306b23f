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
    """How many registrations the event has in each status, how many are
    seated, and the seated by economy (most first): one grouped query."""
    Status = Registration.Status
    rows = Registration.objects.filter(event=event).values_list("status", "economy").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(Status.values, 0)
    seated_by_economy = {}
    for status, economy, n in rows:
        counts[status] += n
        if status in Registration.SEATED:
            seated_by_economy[economy] = seated_by_economy.get(economy, 0) + n
    counts["seated"] = counts[Status.CONFIRMED] + counts[Status.ATTENDED]
    counts["seated_by_economy"] = sorted(seated_by_economy.items(), key=lambda item: (-item[1], item[0]))
    return counts
