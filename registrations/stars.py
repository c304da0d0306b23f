""" "My agenda": sessions a participant starred. Star links sit in the cached,
shared agenda HTML, so they carry no per-person state: the star page itself
shows and changes it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from events.models import Event, PublishedItem

from .models import StarredItem


def _published_item(slug, uid):
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    item = PublishedItem.objects.filter(version_id=event.current_version_id, uid=uid).first()
    if item is None:
        raise Http404("No such session in the published agenda.")
    return event, item


@login_required
def star(request, slug, uid):
    event, item = _published_item(slug, uid)
    starred = StarredItem.objects.filter(user=request.user, item_uid=uid)
    if request.method == "POST":
        if starred.exists():
            starred.delete()
            messages.success(request, f"“{item.title}” is off your agenda.")
        else:
            StarredItem.objects.create(user=request.user, event=event, item_uid=uid)
            messages.success(request, f"“{item.title}” is on your agenda.")
        return redirect("registrations:my_agenda", slug=slug)
    return render(request, "registrations/star.html", {"event": event, "item": item, "starred": starred.exists()})


@login_required
def my_agenda(request, slug):
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    uids = StarredItem.objects.filter(user=request.user, event=event).values("item_uid")
    items = PublishedItem.objects.filter(version_id=event.current_version_id, uid__in=uids)
    profile = getattr(request.user, "profile", None)
    return render(
        request,
        "registrations/my_agenda.html",
        {"event": event, "items": items, "reminders_on": bool(profile and profile.starting_soon_reminders)},
    )
