""" "My agenda": sessions a participant starred.

The star beside each session of the agenda is a toggle button (aria-pressed)
that posts here: without JavaScript as a form (answered with a redirect back to
the session on the agenda), with it by fetch (answered with JSON, the page
updating in place, static/js/stars.js). The agenda's HTML is cached and shared
by all readers with every star unpressed; a reader's own stars are spliced in
per request (events.agenda.with_stars, through ``starred_uids`` below)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from events.calendar_links import ItemMenuLinks
from events.models import Event, PublishedItem
from events.reader_zone import reader_zone, remember_reader_zone

from .models import StarredItem


def starred_uids(event, user):
    """The uids the signed-in user starred in this event: one query."""
    return set(StarredItem.objects.filter(user=user, event=event).values_list("item_uid", flat=True))


def _published_item(slug, uid):
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    item = PublishedItem.objects.filter(version_id=event.current_version_id, uid=uid).first()
    if item is None:
        raise Http404("No such session in the published agenda.")
    return event, item


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _back(request, event, item):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(reverse("events:agenda", args=[event.slug]) + f"#item-{item.uid}")


@login_required
def star(request, slug, uid):
    event, item = _published_item(slug, uid)
    starred = StarredItem.objects.filter(user=request.user, item_uid=uid)
    if request.method == "POST":
        # "on" or "off" as the button says (a repeated post changes nothing);
        # no value toggles.
        wanted = request.POST.get("star")
        want_on = not starred.exists() if wanted not in ("on", "off") else wanted == "on"
        if want_on:
            StarredItem.objects.get_or_create(user=request.user, item_uid=uid, defaults={"event": event})
        else:
            starred.delete()
        if _wants_json(request):
            return JsonResponse({"uid": str(uid), "starred": want_on})
        if want_on:
            messages.success(request, f"“{item.title}” is on your agenda.")
        else:
            messages.success(request, f"“{item.title}” is off your agenda.")
        return _back(request, event, item)
    return render(request, "registrations/star.html", {"event": event, "item": item, "starred": starred.exists()})


@login_required
def my_agenda(request, slug):
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    uids = StarredItem.objects.filter(user=request.user, event=event).values("item_uid")
    items = list(PublishedItem.objects.filter(version_id=event.current_version_id, uid__in=uids))
    # The agenda's "Add to calendar" menu beside each: the same short links,
    # formatted around each uid (no query or reverse() per session).
    calendar_links = ItemMenuLinks(event.slug)
    items = [(item, calendar_links(item)) for item in items]
    profile = getattr(request.user, "profile", None)
    # The reader's zone beside the venue's, as on the event and agenda pages.
    zone = reader_zone(request)
    response = render(
        request,
        "registrations/my_agenda.html",
        {
            "event": event,
            "items": items,
            "reminders_on": bool(profile and profile.starting_soon_reminders),
            "reader_zone": zone if zone is not None and zone.key != event.tz.key else None,
        },
    )
    return remember_reader_zone(request, response)
