"""Checking people in at the door: search by name, or a badge's check-in code."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from registrations import queries, services
from registrations.models import Registration

from .feedback import refused
from .permissions import managed_event


@login_required
def checkin(request, slug):
    event = managed_event(request, slug)
    if request.method == "POST":
        try:
            uid = uuid.UUID(request.POST.get("registration", ""))
        except ValueError:
            messages.error(request, "That check-in did not name a registration: search for the person again.")
        else:
            _check_in(request, get_object_or_404(queries.of_event(event), uid=uid))
        return redirect(f"{request.path}?{urlencode({'q': _search_text(request.POST)})}")
    text = _search_text(request.GET)
    matches = []
    if text:
        seated = queries.of_event(event).filter(status__in=Registration.SEATED)
        matches = queries.matching(seated, text)[:30]
    return render(
        request,
        "desk/checkin.html",
        {"event": event, "q": text, "matches": matches, "counts": queries.status_counts(event)},
    )


def _search_text(data):
    # PostgreSQL refuses NUL in text; nobody's name holds one.
    return data.get("q", "").replace("\x00", "").strip()[:100]


def _check_in(request, registration):
    try:
        registration, new = services.check_in(registration, actor=request.user)
    except services.RegistrationRefused as refusal:
        refused(request, refusal)
        return
    name = registration.user.display_name
    if new:
        messages.success(request, f"{name} is checked in.")
    else:
        messages.warning(request, f"{name} was already checked in at {registration.checked_in_at:%H:%M} UTC.")


@login_required
def checkin_code(request, slug, code):
    event = managed_event(request, slug)
    if "\x00" in code:  # PostgreSQL refuses NUL in text; no code holds one
        raise Http404("No such check-in code.")
    registration = get_object_or_404(queries.of_event(event), checkin_code=code)
    if request.method == "POST":
        _check_in(request, registration)
        return redirect("desk:checkin", slug=slug)
    return render(request, "desk/checkin_code.html", {"event": event, "registration": registration})
