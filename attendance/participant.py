"""What attendance adds to a participant's registration page and certificate
(through registrations.hooks; see apps.py)."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import join_links
from . import sessions as session_queries


def summary(registration):
    return session_queries.of_registration(registration)


def registration_section(request, registration):
    """Sessions attended, the room-code page, and for remote participants
    their personal join links while each is open."""
    if not (registration.holds_seat or registration.attendance_marks.exists()):
        return ""
    event = registration.event
    sessions = session_queries.sessions_of(event)
    if not sessions:
        return ""
    now = timezone.now()
    next_at = join_links.next_link_at(registration, sessions, now)
    attendance = session_queries.of_registration(registration, sessions)
    context = {
        "registration": registration,
        "event": event,
        "attendance": attendance,
        "remote": join_links.may_have_links(registration),
        "links": join_links.visible(registration, sessions, now),
        "next_link_at": session_queries.clock(next_at, event, now) if next_at else "",
        "certificate": registration.status == registration.Status.ATTENDED or attendance.any,
    }
    return render_to_string("attendance/_registration_section.html", context, request=request)
