"""Personal join links for remote participants: /attendance/join/<token>/,
where the signed token names one registration and one session. Following it
records a remote mark and forwards to the meeting, whose address is stored
per event or per session and never shown on a page."""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from registrations.models import Registration

from . import sessions as session_queries
from .models import SessionMeetingLink

SALT = "attendance.join"


def token_for(registration, item_uid):
    return signing.dumps([str(registration.uid), str(item_uid)], salt=SALT, compress=True)


def read(token):
    """(registration uid, item uid) as strings, or None for a token not made here."""
    try:
        value = signing.loads(token[:300], salt=SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value)):
        return None
    return value


def shown_from(event, item):
    return item.starts_at - timedelta(minutes=event.remote_link_lead_minutes)


def may_have_links(registration):
    return registration.holds_seat and registration.participation_mode in Registration.REMOTE


@dataclass
class JoinLink:
    item: object
    when: str
    url: str


def visible(registration, sessions, now=None):
    """The join links to show now: from the lead time before each session
    until its end; none for anyone not seated and taking part remotely."""
    if not may_have_links(registration):
        return []
    now = now or timezone.now()
    event = registration.event
    return [
        JoinLink(
            item,
            session_queries.span(item, event),
            reverse("attendance:join", args=[token_for(registration, item.uid)]),
        )
        for item in sessions
        if shown_from(event, item) <= now <= item.ends_at
    ]


def next_link_at(registration, sessions, now=None):
    """When the next personal link appears, for 'your links appear from …'."""
    if not may_have_links(registration):
        return None
    now = now or timezone.now()
    upcoming = [shown_from(registration.event, item) for item in sessions if shown_from(registration.event, item) > now]
    return min(upcoming) if upcoming else None


def meeting_url(event, item):
    link = SessionMeetingLink.objects.filter(event=event, item_uid=item.uid).values_list("url", flat=True).first()
    return link or event.remote_meeting_url
