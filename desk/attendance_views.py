"""Attendance per session at the desk: the counts (VIEW), the settings
(ORGANISE), and the room screen with its rotating code (CHECK_IN)."""

import csv
import io

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from attendance import room_codes, services
from attendance import sessions as session_queries
from attendance.models import AttendanceMark, SessionMeetingLink
from events.timezones import short_offset, zone_place

from .permissions import CHECK_IN, ORGANISE, VIEW, managed_event


@login_required
def attendance(request, slug):
    event = managed_event(request, slug, need=VIEW)
    per_session, per_economy = session_queries.event_counts(event)
    context = {
        "event": event,
        "per_session": per_session,
        "per_economy": per_economy,
        "totals": {
            "in_person": sum(row.in_person for row in per_session),
            "remote": sum(row.remote for row in per_session),
        },
    }
    return render(request, "desk/attendance.html", context)


@login_required
def attendance_csv(request, slug):
    """Counts per session, as on the page: no names, so viewers may have it too."""
    event = managed_event(request, slug, need=VIEW)
    per_session, _ = session_queries.event_counts(event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["session", "starts", "ends", "in person", "remote", "total"])
    for row in per_session:
        writer.writerow(
            [
                row.item.title,
                row.item.starts_at.astimezone(event.tz).isoformat(),
                row.item.ends_at.astimezone(event.tz).isoformat(),
                row.in_person,
                row.remote,
                row.total,
            ]
        )
    return response


class SettingsForm(forms.Form):
    attendance_margin_minutes = forms.IntegerField(
        label="Attendance margin (minutes)",
        min_value=0,
        max_value=240,
        help_text="Attendance is accepted this long before a session starts and after it ends.",
        error_messages={"invalid": "Give the margin as a whole number of minutes, e.g. 15."},
    )
    remote_link_lead_minutes = forms.IntegerField(
        label="Join links shown (minutes before the session)",
        min_value=0,
        max_value=24 * 60,
        error_messages={"invalid": "Give a whole number of minutes, e.g. 30."},
    )
    remote_meeting_url = forms.URLField(
        label="Online meeting link (for the whole event)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Private: remote participants reach it only through their personal join links.",
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = sessions
        for item in sessions:
            self.fields[f"link_{item.uid}"] = forms.URLField(
                label=f"Online meeting link for “{item.title}”",
                required=False,
                max_length=500,
                assume_scheme="https",
                help_text="Leave empty to use the event's link.",
            )

    def clean(self):
        data = super().clean()
        for name in ("remote_meeting_url", *(f"link_{item.uid}" for item in self.sessions)):
            url = data.get(name) or ""
            if url and not url.lower().startswith(("https://", "http://")):
                self.add_error(name, "Give a web address starting with https://.")
        return data

    def session_links(self):
        return {item.uid: self.cleaned_data.get(f"link_{item.uid}") or "" for item in self.sessions}


@login_required
def attendance_settings(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    sessions = session_queries.sessions_of(event)
    if request.method == "POST":
        form = SettingsForm(request.POST, sessions=sessions)
        if form.is_valid():
            services.save_settings(
                event,
                margin_minutes=form.cleaned_data["attendance_margin_minutes"],
                lead_minutes=form.cleaned_data["remote_link_lead_minutes"],
                meeting_url=form.cleaned_data["remote_meeting_url"],
                session_links=form.session_links(),
                actor=request.user,
            )
            messages.success(request, "Attendance settings saved.")
            return redirect("desk:attendance_settings", slug=event.slug)
    else:
        links = dict(SessionMeetingLink.objects.filter(event=event).values_list("item_uid", "url"))
        initial = {
            "attendance_margin_minutes": event.attendance_margin_minutes,
            "remote_link_lead_minutes": event.remote_link_lead_minutes,
            "remote_meeting_url": event.remote_meeting_url,
            **{f"link_{uid}": url for uid, url in links.items()},
        }
        form = SettingsForm(initial=initial, sessions=sessions)
    return render(request, "desk/attendance_settings.html", {"event": event, "form": form})


def _session(event, uid):
    item = session_queries.session_of(event, uid)
    if item is None:
        raise Http404("That session is not on the published agenda (breaks and lunch have no attendance).")
    return item


def screen_state(request, event, item, now=None):
    """What the room's screen shows now: the code and its QR while the
    session's window is open, else when it opens or that it has closed."""
    now = now or timezone.now()
    opens, closes = session_queries.window(event, item)
    present = AttendanceMark.objects.filter(registration__event=event, item_uid=item.uid).count()
    state = {"open": False, "present": present, "code": "", "qr": "", "changes_at": "", "seconds_left": None}
    if now < opens:
        return {**state, "message": f"Attendance opens at {session_queries.clock(opens, event, now)}."}
    if now > closes:
        return {**state, "message": f"Attendance closed at {session_queries.clock(closes, event, now)}."}
    code, changes_at = room_codes.current(event, item.uid, now)
    query = urlencode({"session": item.uid, "code": code})
    url = request.build_absolute_uri(f"{reverse('attendance:room_code', args=[event.slug])}?{query}")
    local = changes_at.astimezone(event.tz)
    return {
        **state,
        "open": True,
        "code": code,
        "qr": _qr(url),
        "changes_at": f"{local:%H:%M:%S} {zone_place(event.tz)} time ({short_offset(local)})",
        "seconds_left": room_codes.seconds_left(changes_at, now),
        "message": "",
    }


def _qr(data):
    # No width or height, only a viewBox: the screen's CSS sizes it to the room.
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", border=2, xmldecl=False, svgns=True, omitsize=True)
    return buffer.getvalue().decode()


@login_required
def attendance_screen(request, slug, uid):
    event = managed_event(request, slug, need=CHECK_IN)
    item = _session(event, uid)
    context = {
        "event": event,
        "item": item,
        "when": session_queries.span(item, event),
        "state": screen_state(request, event, item),
        "sessions": session_queries.sessions_of(event),
    }
    return render(request, "desk/attendance_screen.html", context)


@login_required
def attendance_screen_status(request, slug, uid):
    event = managed_event(request, slug, need=CHECK_IN)
    item = _session(event, uid)
    response = JsonResponse(screen_state(request, event, item))
    response["Cache-Control"] = "no-store"
    return response
