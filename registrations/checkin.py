"""Check-in codes: a QR code that opens the organiser's check-in page for one
registration. Any phone camera can read it; the page itself needs an
organiser's login, so the code alone grants nothing."""

import io
from datetime import timedelta
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.urls import reverse

from events.timezones import venue_time


def checkin_url(registration):
    path = reverse("desk:checkin_code", args=[registration.event.slug, registration.checkin_code])
    return f"{settings.SITE_URL}{path}"


def qr_png(data, scale=6):
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(data, scale=5):
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def qr_data_uri(data):
    """An SVG QR code as a data: URI, which WeasyPrint's restricted fetcher allows."""
    return segno.make(data, error="m").svg_data_uri(scale=4, border=1)


def checkin_qr(registration):
    """The registration's QR code, made and kept the first time it is needed."""
    if not registration.checkin_qr:
        registration.checkin_qr = qr_data_uri(checkin_url(registration))
        type(registration).objects.filter(pk=registration.pk).update(checkin_qr=registration.checkin_qr)
    return registration.checkin_qr


# A scan kept in a browser while the connection was down is dated when it was
# made, if that is believable: not in the future and not older than twelve
# hours (a phone whose clock is off gets the time the server heard of it).
OFFLINE_SCAN_MAX_AGE = timedelta(hours=12)


def code_in_scan(text):
    """The check-in code in what a scanner read: the code itself, or the URL of
    the check-in page that a badge's QR code holds (its last path segment)."""
    text = (text or "").strip()
    if "/" in text:
        text = urlsplit(text).path.rstrip("/").rsplit("/", 1)[-1]
    return text


def arrival_time(scanned_at, now):
    """When to record the check-in of a scan made at ``scanned_at`` (None: not
    known) and sent at ``now``."""
    if scanned_at is None or not now - OFFLINE_SCAN_MAX_AGE <= scanned_at <= now:
        return now
    return scanned_at


def door_refusal(registration):
    """Why the holder of ``registration`` may not enter, in words for the
    door; None when they may (confirmed and not yet checked in)."""
    Status = type(registration).Status
    status = registration.status
    if status == Status.CONFIRMED:
        return None
    if status == Status.ATTENDED:
        return f"Already checked in at {venue_time(registration.checked_in_at, registration.event.tz)}."
    because = f" Reason given: {registration.status_reason}" if registration.status_reason else ""
    if status == Status.DECLINED:
        return f"Registration declined.{because}"
    if status == Status.CANCELLED:
        return f"Registration cancelled.{because}"
    if status == Status.PENDING:
        return "Pending approval: not confirmed yet, so no seat."
    if status == Status.WAITLISTED:
        return "On the waiting list: no seat."
    return f"Not confirmed ({registration.get_status_display().lower()})."
