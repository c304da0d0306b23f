"""Public calendar feeds and single-entry downloads."""

import json
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import calendar, calendar_links
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


def visible_removals(removal_times):
    cutoff = removed_cutoff().isoformat()
    return sum(1 for removed_at in removal_times if removed_at >= cutoff)


def _agenda_mark(slug):
    """(pk, updated_at, current_version_id, removal_times) of a public event.

    Written as one plain SQL statement on purpose: this is the whole cost of a
    polling client's 304, and the ORM spends ten times longer building the
    query than the database spends answering it (bench/feeds.py).
    """
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, updated_at, current_version_id, removal_times FROM {table} "  # noqa: S608 - names from the model
            "WHERE slug = %s AND status IN (%s, %s)",
            [slug, Event.Status.PUBLISHED, Event.Status.CANCELLED],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such event.")
    pk, updated_at, version_id, removal_times = row
    if isinstance(updated_at, str):  # SQLite hands back text, in UTC
        updated_at = datetime.fromisoformat(updated_at).replace(tzinfo=UTC)
    if isinstance(removal_times, str):
        removal_times = json.loads(removal_times)
    return pk, updated_at, version_id, removal_times or []


@require_safe
def agenda_feed(request, slug):
    # Any public event, however old: someone subscribed to one meeting keeps it.
    # The full event is read only when the body has to be built.
    pk, updated_at, version_id, removal_times = _agenda_mark(slug)

    def build():
        event = Event.objects.select_related("venue").get(pk=pk)
        items = PublishedItem.objects.filter(version_id=event.current_version_id) if event.current_version_id else []
        return calendar.agenda_feed(event, items, recent_removed([event.pk]))

    return calendar_response(
        request,
        mark=f"{pk}|{updated_at.isoformat()}|{version_id}|{visible_removals(removal_times)}",
        last_modified=updated_at,
        build=build,
        filename=f"{slug}-agenda.ics",
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


def _published_item(slug, uid):
    """The public event (venue loaded) and the session ``uid`` of its current
    published agenda, in two queries; 404 for a draft event or a session not
    in that agenda."""
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    item = PublishedItem.objects.filter(version_id=event.current_version_id, uid=uid).first()
    if item is None:
        raise Http404("No such session in the published agenda.")
    return event, item


@require_safe
def item_ics(request, slug, uid):
    event, item = _published_item(slug, uid)
    return calendar_response(
        request,
        mark=f"{event.pk}|{event.updated_at}|{item.pk}",
        last_modified=max(item.changed_at, event.updated_at),
        build=lambda: calendar.single_item(event, item),
        filename=f"{event.slug}-{str(item.uid)[:8]}.ics",
    )


def item_calendar(request, slug, uid):
    """The "Add to calendar" choices for one session (Google, Outlook.com,
    Microsoft 365, .ics) on a page of their own. The agenda and My agenda now
    show a menu beside each session (events/_session_calendar_menu.html) whose
    short links (item_calendar_link) redirect to these same links; this page
    still answers the links to it sent before."""
    event, item = _published_item(slug, uid)
    links = calendar_links.item_links(event, item)
    return render(request, "events/item_calendar.html", {"event": event, "item": item, "links": links})


@require_safe
def item_calendar_link(request, slug, uid, provider):
    """A session's short "Add to calendar" link for one web calendar (google,
    outlook, office365), as the agenda and My agenda show them: 302 to the
    calendar site's link with the session's title, times, place and details,
    exactly what {% add_to_calendar event item %} links to. The long links
    beside every session tripled the cached agenda page; these stay short.
    The answer is the same for everyone and changes only with a publication,
    so shared caches may keep it as briefly as the .ics."""
    event, item = _published_item(slug, uid)
    response = HttpResponseRedirect(calendar_links.item_provider_url(event, item, provider))
    patch_cache_control(response, public=True, max_age=300)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
