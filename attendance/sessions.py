"""Which agenda items can be attended, when, and who attended them: the read
rules that the services, the participant's pages, the certificate and the desk
share.

A session is an item of the event's current published agenda, named by its
uid (stable across versions). Breaks and lunch are not sessions: nobody is
marked present at a coffee break, and they do not count in a person's share of
the meeting's time."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from events.models import ItemKind, PublishedItem
from events.timezones import city_label, zone_place
from registrations.models import Registration

from .models import AttendanceMark

NOT_ATTENDABLE = (ItemKind.BREAK, ItemKind.LUNCH)


def sessions_of(event):
    """The attendable items of the event's current version, in agenda order
    (one query; none when nothing is published)."""
    if not event.current_version_id:
        return []
    return list(PublishedItem.objects.filter(version_id=event.current_version_id).exclude(kind__in=NOT_ATTENDABLE))


def session_of(event, uid):
    """The attendable item named ``uid`` in the current version, or None."""
    if not event.current_version_id or uid is None:
        return None
    return (
        PublishedItem.objects.filter(version_id=event.current_version_id, uid=uid)
        .exclude(kind__in=NOT_ATTENDABLE)
        .first()
    )


def minutes(item):
    return (item.ends_at - item.starts_at).total_seconds() / 60


def window(event, item):
    """(opens, closes): marks are taken from the margin before the session
    starts until the margin after it ends."""
    margin = timedelta(minutes=event.attendance_margin_minutes)
    return item.starts_at - margin, item.ends_at + margin


def current_session(event, sessions, now=None):
    """The session whose window holds ``now`` (the latest to have started, if
    windows overlap), else None."""
    now = now or timezone.now()
    open_now = [item for item in sessions if window(event, item)[0] <= now <= window(event, item)[1]]
    return max(open_now, key=lambda item: item.starts_at) if open_now else None


def clock(value, event, now=None):
    """'09:15 (Auckland time, UTC+13)', with the date first when it is not
    today at the venue: the offset is the one in force at that moment, so a
    session after a daylight-saving change says so."""
    local = value.astimezone(event.tz)
    today = (now or timezone.now()).astimezone(event.tz).date()
    day = "" if local.date() == today else f"{local.day} {local:%B %Y}, "
    return f"{day}{local:%H:%M} ({city_label(local)})"


def span(item, event):
    """'Tue 3 Mar, 09:00–10:30 Auckland time (UTC+13)' for lists of sessions."""
    start, end = item.starts_at.astimezone(event.tz), item.ends_at.astimezone(event.tz)
    offset = city_label(start).split(", ", 1)[-1]
    return f"{start:%a} {start.day} {start:%b}, {start:%H:%M}–{end:%H:%M} {zone_place(event.tz)} time ({offset})"


@dataclass
class Attended:
    item: PublishedItem
    mark: AttendanceMark
    when: str


@dataclass
class PersonAttendance:
    """One registration's attendance in the current agenda."""

    attended: list
    total_minutes: float
    attended_minutes: float
    # Marks of sessions the current agenda no longer holds: kept, not counted.
    other_marks: int

    @property
    def share(self):
        """Attended session minutes over all session minutes, 0–100."""
        return round(100 * self.attended_minutes / self.total_minutes) if self.total_minutes else 0

    @property
    def any(self):
        return bool(self.attended) or bool(self.other_marks)


def of_registration(registration, sessions=None):
    """What ``registration`` attended (two queries, one if ``sessions`` is given)."""
    event = registration.event
    sessions = sessions_of(event) if sessions is None else sessions
    marks = {mark.item_uid: mark for mark in AttendanceMark.objects.filter(registration=registration)}
    attended = [Attended(item, marks[item.uid], span(item, event)) for item in sessions if item.uid in marks]
    return PersonAttendance(
        attended=attended,
        total_minutes=sum(minutes(item) for item in sessions),
        attended_minutes=sum(minutes(entry.item) for entry in attended),
        other_marks=len(marks) - len(attended),
    )


@dataclass
class SessionCount:
    item: PublishedItem
    when: str
    in_person: int
    remote: int

    @property
    def total(self):
        return self.in_person + self.remote


@dataclass
class EconomyCount:
    code: str
    name: str
    in_person: int  # people marked in person in at least one session
    remote: int  # people marked remote (and never in person)
    marks: int


def event_counts(event):
    """Per session (in person / remote) and per economy, for the desk: three
    queries whatever the number of people or sessions, the counting done by
    the database (80,000 marks read row by row took most of a second)."""
    sessions = sessions_of(event)
    marks = AttendanceMark.objects.filter(registration__event=event, item_uid__in=[item.uid for item in sessions])
    per_session = {
        (row["item_uid"], row["mode"]): row["n"]
        for row in marks.values("item_uid", "mode").annotate(n=Count("id")).order_by()
    }
    rows = [
        SessionCount(
            item,
            span(item, event),
            per_session.get((item.uid, AttendanceMark.Mode.IN_PERSON), 0),
            per_session.get((item.uid, AttendanceMark.Mode.REMOTE), 0),
        )
        for item in sessions
    ]
    # One row per person: their economy, whether ever in the room, how many marks.
    people = (
        marks.values("registration_id", "registration__economy")
        .annotate(in_room=Count("id", filter=Q(mode=AttendanceMark.Mode.IN_PERSON)), n=Count("id"))
        .order_by()
    )
    names = dict(Registration._meta.get_field("economy").choices)
    economies = {}
    for person in people:
        code = person["registration__economy"]
        row = economies.setdefault(code, EconomyCount(code, names.get(code, "No economy given"), 0, 0, 0))
        if person["in_room"]:
            row.in_person += 1
        else:
            row.remote += 1
        row.marks += person["n"]
    return rows, sorted(economies.values(), key=lambda row: (not row.code, row.name))
