"""Venues and meeting clusters, created on the desk by anyone who may create
events (the Organisers group's permissions, or staff): no Django admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from events import organising

from .forms import MeetingClusterForm, VenueForm
from .permissions import require_create


def _back(request):
    # Back to the new-event form when that is where the organiser came from.
    return redirect("desk:event_create") if request.GET.get("then") == "event" else redirect("desk:home")


@login_required
def venue_create(request):
    require_create(request.user, "venue")
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        venue = organising.save_venue(form, actor=request.user)
        messages.success(request, f"{venue} ({venue.timezone}) was added; you can now choose it for events.")
        return _back(request)
    return render(request, "desk/venue_form.html", {"form": form})


@login_required
def cluster_create(request):
    require_create(request.user, "meetingcluster")
    form = MeetingClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cluster = organising.save_cluster(form, actor=request.user)
        messages.success(request, f"{cluster} was added; you can now choose it for events.")
        return _back(request)
    return render(request, "desk/cluster_form.html", {"form": form})
