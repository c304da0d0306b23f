"""Public calendar feeds and single-entry downloads."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import calendar
from .http import calendar_response
from .models import Event, PublishedItem, RemovedItem


def feed_events():
    """Published events from a while back on, and cancelled ones for a while
    after their cancellation, so subscribers see STATUS:CANCELLED."""
    now = timezone.now()
    return (
        Event.objects.public()
        .filter(ends_at__gte=now - timedelta(days=settings.FEED_PAST_DAYS))
        .exclude(status=Event.Status.CANCELLED, updated_at__lt=now - timedelta(days=settings.FEED_CANCELLED_DAYS))
    )


def removed_cutoff():
    return timezone.now() - timedelta(days=settings.FEED_CANCELLED_DAYS)


def recent_removed(event_ids):
    return RemovedItem.objects.filter(event_id__in=event_ids, removed_at__gte=removed_cutoff())


@require_safe
def events_feed(request):
    events = feed_events()
    marks = events.aggregate(changed=Max("updated_at"), count=Count("pk"))
    return calendar_response(
        request,
        mark=f"{marks['changed']}|{marks['count']}",
        last_modified=marks["changed"],
        build=lambda: calendar.events_feed(events.select_related("venue").order_by("starts_at")),
        filename="ipeg-events.ics",
    )


def _agenda_event(slug):
    # Any public event, however old: someone subscribed to one meeting keeps it.
    event = get_object_or_404(
        Event.objects.public()
        .select_related("venue")
        .annotate(
            recent_removed=Count("removed_items", filter=Q(removed_items__removed_at__gte=removed_cutoff())),
            last_removed=Max("removed_items__removed_at"),
        ),
        slug=slug,
    )
    return event


@require_safe
def agenda_feed(request, slug):
    event = _agenda_event(slug)

    def build():
        items = PublishedItem.objects.filter(version_id=event.current_version_id) if event.current_version_id else []
        return calendar.agenda_feed(event, items, recent_removed([event.pk]))

    return calendar_response(
        request,
        mark=f"{event.pk}|{event.updated_at}|{event.current_version_id}|{event.recent_removed}|{event.last_removed}",
        last_modified=event.updated_at,
        build=build,
        filename=f"{event.slug}-agenda.ics",
    )


@require_safe
def event_ics(request, slug):
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    return calendar_response(
        request,
        mark=f"{event.pk}|{event.updated_at}",
        last_modified=event.updated_at,
        build=lambda: calendar.single_event(event),
        filename=f"{event.slug}.ics",
    )


@require_safe
def item_ics(request, slug, uid):
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    item = PublishedItem.objects.filter(version_id=event.current_version_id, uid=uid).first()
    if item is None:
        raise Http404("No such session in the published agenda.")
    return calendar_response(
        request,
        mark=f"{event.pk}|{event.updated_at}|{item.pk}",
        last_modified=max(item.changed_at, event.updated_at),
        build=lambda: calendar.single_item(event, item),
        filename=f"{event.slug}-{str(item.uid)[:8]}.ics",
    )
