"""A person's own calendar feed: the events they registered for, with agendas."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_safe

from events import calendar
from events.feed_views import recent_removed, removed_cutoff
from events.http import calendar_response
from events.models import PublishedItem

from .models import CalendarToken, Registration

TOKEN_PATTERN_LENGTH = 43  # secrets.token_urlsafe(32)


def digest_of(token):
    """The only form in which a calendar token is stored (see ``CalendarToken``)."""
    return hashlib.sha256(token.encode()).hexdigest()


HINT_LENGTH = 4


@transaction.atomic
def regenerate(user):
    """A new secret, returned this once and never stored; the old URL stops
    working at once."""
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(
        user=user,
        defaults={"digest": digest_of(token), "hint": token[-HINT_LENGTH:], "created_at": timezone.now()},
    )
    return token


def current(user):
    """What can be said about a person's link without knowing it: when it was
    made and how it ends, or None when there is none."""
    return CalendarToken.objects.filter(user=user).only("hint", "created_at").first()


def feed_registrations(user):
    now = timezone.now()
    return (
        Registration.objects.filter(user=user, event__status__in=["published", "cancelled"])
        .filter(event__ends_at__gte=now - timedelta(days=settings.FEED_PAST_DAYS))
        .exclude(
            status__in=[Registration.Status.CANCELLED, Registration.Status.DECLINED],
            updated_at__lt=now - timedelta(days=settings.FEED_CANCELLED_DAYS),
        )
    )


def _build(user, registrations):
    registrations = list(registrations.select_related("event__venue").order_by("event__starts_at"))
    seated = [r.event for r in registrations if r.holds_seat]
    items, removed = {}, {}
    for item in PublishedItem.objects.filter(
        version_id__in=[e.current_version_id for e in seated if e.current_version_id]
    ):
        items.setdefault(item.version_id, []).append(item)
    for gone in recent_removed([event.pk for event in seated]):
        removed.setdefault(gone.event_id, []).append(gone)
    entries = []
    for registration in registrations:
        event = registration.event
        if registration.holds_seat:
            entries.append((event, items.get(event.current_version_id, []), removed.get(event.pk, []), False))
        elif registration.is_active:
            entries.append((event, [], [], False))
        else:
            entries.append((event, [], [], True))
    return calendar.personal_feed(f"IPEG events — {user.display_name}", entries)


@require_safe
def personal_feed(request, token):
    if len(token) != TOKEN_PATTERN_LENGTH:
        raise Http404("No such calendar.")
    owner = CalendarToken.objects.select_related("user__profile").filter(digest=digest_of(token)).first()
    if owner is None:
        raise Http404("No such calendar.")
    user = owner.user
    registrations = feed_registrations(user)
    marks = registrations.aggregate(
        registrations_changed=Max("updated_at"),
        events_changed=Max("event__updated_at"),
        count=Count("pk", distinct=True),
        removed=Count(
            "event__removed_items", filter=Q(event__removed_items__removed_at__gte=removed_cutoff()), distinct=True
        ),
    )
    changes = [value for value in (marks["registrations_changed"], marks["events_changed"]) if value]
    return calendar_response(
        request,
        mark="|".join(str(value) for value in (user.pk, owner.digest, *marks.values())),
        last_modified=max(changes) if changes else None,
        build=lambda: _build(user, registrations),
        filename="my-ipeg-events.ics",
        private=True,
    )
