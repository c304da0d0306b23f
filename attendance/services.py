"""Marking a person present in a session: the one write of attendance, with
every refusal a person can read."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit import log
from registrations import services as registration_services
from registrations.models import Registration

from . import sessions as session_queries
from .models import AttendanceMark

Mode = AttendanceMark.Mode
Source = AttendanceMark.Source


class AttendanceRefused(Exception):
    """Why a mark was not taken, in words for the person in front of it."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def opens_at(event, item, source):
    """When marks of ``source`` start being taken. A personal join link works
    from the moment it is shown (the lead time), even if that is earlier than
    the margin: whoever follows it is in the online room."""
    opens, _ = session_queries.window(event, item)
    if source == Source.JOIN_LINK:
        opens = min(opens, item.starts_at - timedelta(minutes=event.remote_link_lead_minutes))
    return opens


def refusal(registration, item, *, source, now):
    """The reason a mark would be refused now, or None."""
    event = registration.event
    if item is None:
        return "That session is not on the event's published agenda."
    if registration.status not in Registration.SEATED:
        return (
            f"Only confirmed participants can be marked present; this registration is "
            f"{registration.get_status_display().lower()}."
        )
    opens, closes = opens_at(event, item, source), session_queries.window(event, item)[1]
    if now < opens:
        return f"Attendance at “{item.title}” opens at {session_queries.clock(opens, event, now)}."
    if now > closes:
        return f"Attendance at “{item.title}” closed at {session_queries.clock(closes, event, now)}."
    return None


def mark(registration, item_uid, *, mode, source, actor, now=None):
    """Mark ``registration`` present in the session ``item_uid``, once.
    Returns (mark, created): a second mark, whatever the race, returns the
    first with created False. Raises AttendanceRefused with the reason.

    Being in a session in person means being at the venue: a confirmed person
    not yet checked in at the event is checked in too, at the same time."""
    now = now or timezone.now()
    event = registration.event
    item = session_queries.session_of(event, item_uid)
    reason = refusal(registration, item, source=source, now=now)
    if reason:
        raise AttendanceRefused(reason)
    with transaction.atomic():
        try:
            with transaction.atomic():
                made = AttendanceMark.objects.create(
                    registration=registration,
                    item_uid=item.uid,
                    mode=mode,
                    source=source,
                    marked_at=now,
                    marked_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            # The unique constraint decided: someone (or a second tab) was first.
            return AttendanceMark.objects.get(registration=registration, item_uid=item.uid), False
        log.record(
            actor,
            "attendance.marked",
            event=event,
            obj=registration,
            after={"session": item.title, "mode": mode, "source": source},
            label=f"{registration.user.display_name} in “{item.title}”",
        )
        if mode == Mode.IN_PERSON and registration.status == Registration.Status.CONFIRMED:
            try:
                registration_services.check_in(registration, actor=actor, at=now)
            except registration_services.RegistrationRefused as refused:
                # Cancelled or declined meanwhile: the mark goes with the check-in.
                raise AttendanceRefused(" ".join(refused.messages)) from None
    return made, True


def already(existing, event, now=None):
    """What to say to a second mark."""
    return f"Already marked present at {session_queries.clock(existing.marked_at, event, now)}."


@transaction.atomic
def save_settings(event, *, margin_minutes, lead_minutes, meeting_url, session_links, actor):
    """The event's attendance settings and its sessions' own meeting links
    (``session_links``: item uid -> URL, empty to fall back to the event's).
    The links are private, so the log says which changed, never their address."""
    from .models import SessionMeetingLink

    before = {
        "attendance_margin_minutes": event.attendance_margin_minutes,
        "remote_link_lead_minutes": event.remote_link_lead_minutes,
        "meeting link": "set" if event.remote_meeting_url else "none",
    }
    event.attendance_margin_minutes = margin_minutes
    event.remote_link_lead_minutes = lead_minutes
    event.remote_meeting_url = meeting_url
    event.save(update_fields=["attendance_margin_minutes", "remote_link_lead_minutes", "remote_meeting_url"])
    existing = {link.item_uid: link for link in SessionMeetingLink.objects.filter(event=event)}
    changed = 0
    for uid, url in session_links.items():
        link = existing.get(uid)
        if not url and link:
            link.delete()
            changed += 1
        elif url and link is None:
            SessionMeetingLink.objects.create(event=event, item_uid=uid, url=url)
            changed += 1
        elif url and link.url != url:
            link.url = url
            link.save(update_fields=["url"])
            changed += 1
    after = {
        "attendance_margin_minutes": margin_minutes,
        "remote_link_lead_minutes": lead_minutes,
        "meeting link": "set" if meeting_url else "none",
    }
    if changed:
        after["session meeting links changed"] = changed
    log.record(actor, "attendance.settings_changed", event=event, obj=event, before=before, after=after)
