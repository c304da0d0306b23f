"""The audit log as the desk shows it: an event's entries filtered, and each
entry's changes in words (statuses by their names, times in the venue's zone)."""

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType

from audit.actions import LABELS, kinds, label
from audit.models import LogEntry
from events.models import Event
from events.timezones import venue_time
from registrations.models import Registration

STATUS_WORDS = {**dict(Registration.Status.choices), **dict(Event.Status.choices)}
FIELD_WORDS = {"status": "status", "capacity": "capacity", "starts_at": "starts", "ends_at": "ends"}


def action_choices():
    """Kinds of change (every change of registrations, say), then each one."""
    return [
        ("", "Any change"),
        ("Kinds of change", [(prefix, f"All: {words}") for prefix, words in kinds()]),
        ("One kind of change", sorted(LABELS.items(), key=lambda pair: pair[1])),
    ]


def of_event(event, action="", actor="", since=None, until=None):
    """The event's entries, newest first, filtered: ``action`` a code or a
    kind (its prefix), ``actor`` who as recorded, ``since``/``until`` dates
    (both days included) in the venue's zone."""
    entries = LogEntry.objects.filter(event=event)
    if action in LABELS:
        entries = entries.filter(action=action)
    elif action:
        entries = entries.filter(action__startswith=f"{action}.")
    if actor:
        entries = entries.filter(actor_label=actor)
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=event.tz))
    if until:
        entries = entries.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=event.tz))
    return entries.order_by("-at", "-pk")


def actors_of(event):
    """Everyone who appears in the event's log, as recorded: one query."""
    return list(
        LogEntry.objects.filter(event=event).order_by("actor_label").values_list("actor_label", flat=True).distinct()
    )


def of_registration(registration):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration), object_id=registration.pk
    ).order_by("-at", "-pk")


def _words(field, value, event):
    if value is None or value == "" or value == []:
        return "—"
    if field == "status" and value in STATUS_WORDS:
        return STATUS_WORDS[value]
    if isinstance(value, str) and field.endswith("_at"):
        try:
            return venue_time(datetime.fromisoformat(value), event.tz)
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items()) or "—"
    return str(value)


def rows(entries, event, links=True):
    """Each entry with its changes in words and, for a registration, its uid
    for a link (``links``): one query for all the links, whatever the number
    of rows."""
    entries = list(entries)
    registration_type = ContentType.objects.get_for_model(Registration)
    ids = {entry.object_id for entry in entries if links and entry.content_type_id == registration_type.pk}
    uids = dict(Registration.objects.filter(event=event, pk__in=ids).values_list("pk", "uid")) if ids else {}
    for entry in entries:
        entry.label = label(entry.action)
        entry.shown_changes = [
            (FIELD_WORDS.get(field, field.replace("_", " ")), _words(field, before, event), _words(field, after, event))
            for field, before, after in entry.changes
        ]
        entry.registration_uid = uids.get(entry.object_id) if entry.content_type_id == registration_type.pk else None
    return entries
