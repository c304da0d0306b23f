"""The participant's side: typing the room's code, and following a personal
join link."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from events.models import Event
from registrations.models import Registration

from . import join_links, room_codes, services
from . import sessions as session_queries
from .forms import RoomCodeForm
from .models import AttendanceMark


def _uid(text):
    try:
        return uuid.UUID((text or "")[:40])
    except ValueError:
        return None


@login_required
def room_code(request, slug):
    """Pick the session (the one on now by default) and type its code; a QR
    on the room's screen opens this page with both filled in."""
    event = get_object_or_404(Event.objects.select_related("venue"), slug=slug, status=Event.Status.PUBLISHED)
    registration = Registration.objects.filter(event=event, user=request.user).select_related("event__venue").first()
    sessions = session_queries.sessions_of(event)
    now = timezone.now()
    if request.method == "POST" and registration is not None:
        form = RoomCodeForm(request.POST, sessions=sessions)
        if form.is_valid() and _mark_with_code(request, event, registration, form, now):
            return redirect(f"{request.path}?session={form.cleaned_data['session']}")
    else:
        chosen = _uid(request.GET.get("session"))
        if chosen is None or chosen not in {item.uid for item in sessions}:
            on_now = session_queries.current_session(event, sessions, now)
            chosen = on_now.uid if on_now else None
        code = room_codes.normalise(request.GET.get("code", "").replace("\x00", ""))
        form = RoomCodeForm(initial={"session": chosen, "code": code}, sessions=sessions)
    context = {
        "event": event,
        "registration": registration,
        "form": form,
        "sessions": sessions,
        "may_mark": registration is not None and registration.holds_seat,
    }
    return render(request, "attendance/room_code.html", context)


def _mark_with_code(request, event, registration, form, now):
    """True when the person is (or already was) marked; else the form
    carries the reason."""
    item = session_queries.session_of(event, form.cleaned_data["session"])
    reason = services.refusal(registration, item, source=AttendanceMark.Source.ROOM_CODE, now=now)
    if reason:
        form.add_error(None, reason)
        return False
    try:
        room_codes.check(event, item.uid, form.cleaned_data["code"], now, session_queries.window(event, item)[0])
        made, created = services.mark(
            registration,
            item.uid,
            mode=AttendanceMark.Mode.IN_PERSON,
            source=AttendanceMark.Source.ROOM_CODE,
            actor=request.user,
            now=now,
        )
    except room_codes.CodeRefused as refusal:
        form.add_error("code", refusal.reason)
        return False
    except services.AttendanceRefused as refusal:
        form.add_error(None, refusal.reason)
        return False
    if created:
        messages.success(request, f"Marked present in “{item.title}”.")
    else:
        messages.info(request, f"“{item.title}”: {services.already(made, event, now)}")
    return True


@login_required
def join(request, token):
    """A remote participant's personal link: records their remote attendance
    and forwards them to the online meeting. Anyone but that participant gets
    a 404, as for a link that does not exist."""
    names = join_links.read(token)
    if names is None:
        raise Http404("No such join link.")
    registration_uid, item_uid = (_uid(name) for name in names)
    registration = get_object_or_404(
        Registration.objects.select_related("event__venue"), uid=registration_uid, user=request.user
    )
    event = registration.event
    item = session_queries.session_of(event, item_uid)
    if item is None:
        raise Http404("That session is no longer on the agenda.")
    try:
        services.mark(
            registration,
            item.uid,
            mode=AttendanceMark.Mode.REMOTE,
            source=AttendanceMark.Source.JOIN_LINK,
            actor=request.user,
        )
    except services.AttendanceRefused as refusal:
        context = {"event": event, "item": item, "registration": registration, "reason": refusal.reason}
        return render(request, "attendance/join_refused.html", context)
    url = join_links.meeting_url(event, item)
    if not url:
        return render(request, "attendance/join_no_meeting.html", {"event": event, "item": item})
    return redirect(url)
