"""Checking people in at the door: search by name, a badge's check-in code,
or the page's scanner (static/js/checkin-scanner.js), which posts what the
camera read to ``checkin_scan`` and keeps scans made offline until it can."""

import json
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from attendance import services as attendance
from attendance import sessions as session_queries
from attendance.models import AttendanceMark
from events.timezones import venue_time
from registrations import checkin as checkin_codes
from registrations import queries, services
from registrations.models import Registration

from .feedback import refused
from .permissions import CHECK_IN, managed_event


@login_required
def checkin(request, slug):
    event = managed_event(request, slug, need=CHECK_IN)
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
    sessions = session_queries.sessions_of(event)
    chosen = _session_uid(request.GET.get("session"))
    session = next((item for item in sessions if item.uid == chosen), None)
    scan_url = reverse("desk:checkin_scan", args=[event.slug])
    context = {
        "event": event,
        "q": text,
        "matches": matches,
        "counts": queries.status_counts(event),
        "sessions": sessions,
        "session": session,
        "scan_url": f"{scan_url}?{urlencode({'session': session.uid})}" if session else scan_url,
    }
    return render(request, "desk/checkin.html", context)


def _session_uid(text):
    try:
        return uuid.UUID((text or "")[:40])
    except ValueError:
        return None


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
        when = venue_time(registration.checked_in_at, registration.event.tz)
        messages.warning(request, f"{name} was already checked in at {when}.")


@login_required
def checkin_code(request, slug, code):
    event = managed_event(request, slug, need=CHECK_IN)
    if "\x00" in code:  # PostgreSQL refuses NUL in text; no code holds one
        raise Http404("No such check-in code.")
    registration = get_object_or_404(queries.of_event(event), checkin_code=code)
    if request.method == "POST":
        _check_in(request, registration)
        return redirect("desk:checkin", slug=slug)
    context = {"event": event, "registration": registration, "refusal": checkin_codes.door_refusal(registration)}
    return render(request, "desk/checkin_code.html", context)


# One request carries at most this many scans; the page sends its queue in
# batches of this size.
MAX_SCANS_PER_REQUEST = 50


class BadScans(ValueError):
    pass


@dataclass
class Scan:
    id: str
    code: str
    scanned_at: object = None  # an aware datetime, or None


@login_required
@require_POST
def checkin_scan(request, slug):
    """Check in what the scanner read: one scan (form fields or JSON ``code``,
    ``id``, ``scanned_at``) or a batch kept while offline (JSON ``scans``, a
    list of those). Answers each scan in order, with the event's count; a
    person scanned twice is counted once (the second answer says when the
    first was)."""
    event = managed_event(request, slug, need=CHECK_IN)
    session = None
    if "session" in request.GET:
        # Per-session mode (the page's session choice): each scan marks the
        # person present in that session, and checks them in at the event
        # if they were not yet.
        session = session_queries.session_of(event, _session_uid(request.GET["session"]))
        if session is None:
            return JsonResponse({"error": "That session is not on the published agenda: choose it again."}, status=400)
    try:
        scans = _scans_of(request)
    except BadScans as error:
        return JsonResponse({"error": str(error)}, status=400)
    now = timezone.now()
    results = [_answer(request, event, scan, now, session) for scan in scans]
    counts = queries.status_counts(event)
    return JsonResponse({"results": results, "attended": counts["attended"], "seated": counts["seated"]})


def _scans_of(request):
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except ValueError:  # also UnicodeDecodeError
            raise BadScans("The request is not JSON.") from None
        if not isinstance(body, dict):
            raise BadScans("Send a JSON object with 'code' or 'scans'.")
        items = body.get("scans", [body])
    else:
        items = [{name: request.POST.get(name) for name in ("id", "code", "scanned_at")}]
    if not isinstance(items, list) or not items:
        raise BadScans("'scans' must be a list of scans.")
    if len(items) > MAX_SCANS_PER_REQUEST:
        raise BadScans(f"Send at most {MAX_SCANS_PER_REQUEST} scans at a time.")
    return [_scan(item) for item in items]


def _scan(item):
    if not isinstance(item, dict) or not isinstance(item.get("code"), str):
        raise BadScans("Each scan needs a 'code' (text).")
    scan_id = item.get("id")
    scan_id = scan_id[:64] if isinstance(scan_id, str) else ""
    scanned_at = None
    if isinstance(item.get("scanned_at"), str):
        try:
            scanned_at = parse_datetime(item["scanned_at"][:40])
        except ValueError:  # well formed but impossible, e.g. 2024-02-30
            scanned_at = None
        if scanned_at is not None and timezone.is_naive(scanned_at):
            scanned_at = None  # a time without its offset says nothing for sure
    # PostgreSQL refuses NUL in text; nobody's code holds one, nor anything this long.
    return Scan(id=scan_id, code=item["code"].replace("\x00", "")[:2000], scanned_at=scanned_at)


def _answer(request, event, scan, now, session=None):
    """What the door shows for one scan: ``ok`` (may enter, now checked in)
    or the reason not, with who it is."""
    answer = {"id": scan.id, "ok": False}
    code = checkin_codes.code_in_scan(scan.code)
    registration = queries.of_event(event).filter(checkin_code=code).first() if 0 < len(code) <= 32 else None
    if registration is None:
        return {**answer, "outcome": "unknown", "reason": "Not a check-in code of this event."}
    if session is not None:
        return _session_answer(request, event, scan, now, session, registration, answer)
    try:
        registration, new = services.check_in(
            registration, actor=request.user, at=checkin_codes.arrival_time(scan.scanned_at, now)
        )
    except services.RegistrationRefused:
        registration.refresh_from_db()
        new = False
    answer.update(
        name=registration.user.display_name,
        participation_type=registration.get_participation_type_display(),
        economy=registration.get_economy_display(),
        organisation=registration.organisation,
        status=registration.get_status_display(),
        checked_in_at=registration.checked_in_at.isoformat() if registration.checked_in_at else None,
        checked_in_time=venue_time(registration.checked_in_at, event.tz) if registration.checked_in_at else "",
    )
    if new:
        return {**answer, "ok": True, "outcome": "checked_in", "reason": ""}
    outcome = "already_checked_in" if registration.status == Registration.Status.ATTENDED else "refused"
    return {**answer, "outcome": outcome, "reason": checkin_codes.door_refusal(registration)}


def _who(registration):
    return {
        "name": registration.user.display_name,
        "participation_type": registration.get_participation_type_display(),
        "economy": registration.get_economy_display(),
        "organisation": registration.organisation,
        "status": registration.get_status_display(),
    }


def _session_answer(request, event, scan, now, session, registration, answer):
    """A scan at a session's door: ``ok`` when newly marked present."""
    at = checkin_codes.arrival_time(scan.scanned_at, now)
    answer.update(_who(registration), session=session.title)
    try:
        made, new = attendance.mark(
            registration,
            session.uid,
            mode=AttendanceMark.Mode.IN_PERSON,
            source=AttendanceMark.Source.DOOR_SCAN,
            actor=request.user,
            now=at,
        )
    except attendance.AttendanceRefused as refusal:
        return {**answer, "outcome": "refused", "reason": refusal.reason}
    answer.update(
        checked_in_at=made.marked_at.isoformat(),
        checked_in_time=venue_time(made.marked_at, event.tz),
        message=f"Marked present in “{session.title}” at {venue_time(made.marked_at, event.tz, with_date=False)}.",
    )
    if new:
        return {**answer, "ok": True, "outcome": "marked", "reason": ""}
    return {**answer, "outcome": "already_marked", "reason": attendance.already(made, event, now)}
