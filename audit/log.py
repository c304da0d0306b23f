"""``record``: the one way entries are written."""

import enum
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import LogEntry

SYSTEM = "system"


def _plain(value):
    """A value as JSON keeps it: choices as their value, datetimes as UTC ISO
    strings, model instances as their text."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def actor_label(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return SYSTEM
    name = actor.public_name  # at most one query per user instance: the profile is cached on it
    return f"{name} <{actor.email}>" if name else actor.email


def entry(actor, action, *, event, obj=None, before=None, after=None, reason="", label=None):
    """An unsaved entry (see ``record``); ``record_many`` saves a batch of them."""
    before = {key: _plain(value) for key, value in (before or {}).items()}
    after = {key: _plain(value) for key, value in (after or {}).items()}
    changed = [key for key in {**before, **after} if before.get(key) != after.get(key)]
    if before and after:
        before = {key: before[key] for key in changed if key in before}
        after = {key: after[key] for key in changed if key in after}
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = LogEntry(
        actor=user,
        actor_label=actor_label(user)[:400],
        action=action,
        event_id=getattr(event, "pk", event),
        reason=reason or "",
        before=before,
        after=after,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = obj.pk
    if obj is not None or label:
        entry.object_label = str(obj if label is None else label)[:300]
    return entry


def record(actor, action, *, event, obj=None, before=None, after=None, reason="", label=None):
    """Append who (``actor``; None or anonymous is the system), what
    (``action``, e.g. ``registration.approved``), on which ``event`` (or its
    pk) and object, the values ``before`` and ``after`` (when both are given,
    only the fields whose value changed are kept), the ``reason``, and how to
    name the object (``label``, default its text). Call it inside the
    transaction of the change, so the entry and the change are kept or rolled
    back together."""
    made = entry(actor, action, event=event, obj=obj, before=before, after=after, reason=reason, label=label)
    made.save()
    return made


def record_many(entries):
    """Append a batch of entries made with ``entry`` in one statement (bulk
    actions: one insert, not one per registration)."""
    return LogEntry.objects.bulk_create(entries, batch_size=500)
