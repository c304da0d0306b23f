"""Every state change of events and agendas: one function, one transaction,
called alike by views, admin actions, commands and tasks."""

import hashlib
from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import audit
from ops.dispatch import after_commit

from . import changelog, signals, tasks
from .markdown import render_markdown
from .models import (
    AgendaItem,
    AgendaVersion,
    DocumentRevision,
    Event,
    MeetingCluster,
    MeetingDocument,
    PublishedItem,
    RemovedItem,
)


class NothingToPublish(ValidationError):
    pass


def draft_snapshots(event):
    items = AgendaItem.objects.filter(event=event).prefetch_related("speakers")
    return [changelog.snapshot_of(item, [s.snapshot() for s in item.speakers.all()]) for item in items]


def version_snapshots(version):
    if version is None:
        return []
    return [changelog.snapshot_of(item, item.speakers) for item in version.items.all()]


def pending_changes(event):
    """What publishing now would put in the changelog."""
    current = AgendaVersion.objects.filter(pk=event.current_version_id).first()
    return changelog.compute(version_snapshots(current), draft_snapshots(event))


# What a calendar client must be told about (iCalendar SEQUENCE rises).
ITEM_CALENDAR_FIELDS = ("starts_at", "ends_at", "room", "title")


@transaction.atomic
def publish_agenda(event, *, actor, note=""):
    """Freeze the draft agenda as the next numbered version (``actor``: who
    publishes; None for the system).

    The event row is locked so that two organisers publishing at once get
    versions N and N+1, not two version Ns.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    current = AgendaVersion.objects.filter(pk=event.current_version_id).first()
    previous = {str(item.uid): item for item in current.items.all()} if current else {}
    previous_snapshots = {uid: changelog.snapshot_of(item, item.speakers) for uid, item in previous.items()}
    draft = draft_snapshots(event)
    if not draft:
        raise NothingToPublish("The draft agenda has no sessions yet; add one before publishing.")
    # The first version is the agenda itself; a changelog starts with the second.
    entries = changelog.compute(list(previous_snapshots.values()), draft) if current else []
    if current is not None and not entries:
        raise NothingToPublish(f"Nothing has changed since version {current.number}; there is nothing to publish.")
    now = timezone.now()
    version = AgendaVersion.objects.create(
        event=event,
        number=(current.number + 1) if current else 1,
        published_at=now,
        published_by=actor if actor is not None and actor.is_authenticated else None,
        note=note,
        changelog=entries,
    )
    items = []
    for snapshot in draft:
        before = previous_snapshots.get(snapshot["uid"])
        sequence, changed_at = 0, now
        if before is not None:
            earlier = previous[snapshot["uid"]]
            moved = any(before[key] != snapshot[key] for key in ITEM_CALENDAR_FIELDS)
            sequence = earlier.sequence + 1 if moved else earlier.sequence
            changed_at = now if before != snapshot else earlier.changed_at
        items.append(
            PublishedItem(
                version=version,
                uid=snapshot["uid"],
                kind=snapshot["kind"],
                title=snapshot["title"],
                starts_at=snapshot["starts_at"],
                ends_at=snapshot["ends_at"],
                room=snapshot["room"],
                description=snapshot["description"],
                description_html=render_markdown(snapshot["description"]),
                speakers=snapshot["speakers"],
                sequence=sequence,
                changed_at=changed_at,
            )
        )
    PublishedItem.objects.bulk_create(items, batch_size=500)
    kept = {snapshot["uid"] for snapshot in draft}
    RemovedItem.objects.filter(event=event, uid__in=kept).delete()
    removed = RemovedItem.objects.bulk_create(
        [
            RemovedItem(
                event=event,
                uid=item.uid,
                kind=item.kind,
                title=item.title,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                room=item.room,
                sequence=item.sequence + 1,
                removed_at=now,
            )
            for uid, item in previous.items()
            if uid not in kept
        ]
    )
    if removed:
        event.removal_times = [*event.removal_times, now.astimezone(UTC).isoformat()]
    event.current_version = version
    event.save(update_fields=["current_version", "removal_times", "updated_at"])
    audit.record(
        actor, "agenda.published", event=event, obj=version,
        before={"version": current.number if current else None},
        after={"version": version.number, "changes": len(entries)}, reason=note,
    )  # fmt: skip
    # The printed programme is made by the worker right after publication.
    after_commit(tasks.render_programme, version.pk)
    signals.agenda_published.send(
        Event, event=event, previous_number=current.number if current else None, version=version
    )
    return version


# Changes a subscribed calendar must pick up; each raises the event's SEQUENCE.
CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "venue"}


def _field_values(event, fields):
    """What the log keeps of an event's fields: related objects as their text."""
    values = {}
    for name in fields:
        field = event._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(item) for item in getattr(event, name).all()) if event.pk else []
        else:
            values[name] = getattr(event, name)
    return values


@transaction.atomic
def save_event(form, *, actor):
    """Save an organiser's edit of an event (a bound, valid EventForm)."""
    model_fields = {field.name for field in Event._meta.get_fields()}
    created = form.instance.pk is None
    logged = [name for name in (form.fields if created else form.changed_data) if name in model_fields]
    before = {} if created else _field_values(Event.objects.get(pk=form.instance.pk), logged)
    event = form.save(commit=False)
    if not created and CALENDAR_FIELDS & set(form.changed_data):
        event.sequence += 1
    event.save()
    form.save_m2m()
    audit.record(
        actor, "event.created" if created else "event.changed", event=event, obj=event,
        before=before, after=_field_values(event, logged),
    )  # fmt: skip
    return event


@transaction.atomic
def publish_event(event, *, actor):
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(f"Only a draft can be published; this event is {event.get_status_display().lower()}.")
    before = {"status": event.status}
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    audit.record(actor, "event.published", event=event, obj=event, before=before, after={"status": event.status})
    return event


@transaction.atomic
def cancel_event(event, *, actor, reason=""):
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError("This event is already cancelled.")
    before = {"status": event.status}
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    audit.record(
        actor, "event.cancelled", event=event, obj=event, before=before, after={"status": event.status}, reason=reason
    )
    signals.event_cancelled.send(Event, event=event)
    return event


@transaction.atomic
def add_document(event, title, upload, content_type, access, *, actor, item_uid=None, group="IPEG"):
    """Number a new meeting document (under a lock on its cluster, or on the
    event when it has none) and store its first revision. ``upload`` is the
    file, or a function of the new number giving it, for a document that
    prints its own number (the final List of Participants)."""
    if event.cluster_id:
        cluster = MeetingCluster.objects.select_for_update().get(pk=event.cluster_id)
        scope = MeetingDocument.objects.filter(event__cluster=cluster, group=group)
        prefix = f"{cluster.year}/{cluster.meeting}/{group}"
    else:
        Event.objects.select_for_update().get(pk=event.pk)
        scope = MeetingDocument.objects.filter(event=event, group=group)
        prefix = f"{event.starts_at.year}/{event.slug.upper()}/{group}"
    last = scope.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    document = MeetingDocument.objects.create(
        event=event, item_uid=item_uid, title=title, group=group, sequence=last + 1,
        number=f"{prefix}/{last + 1:03d}", access=access,
    )  # fmt: skip
    if callable(upload):
        upload = upload(document.number)
    revision = _add_revision(document, upload, content_type, actor, 1)
    audit.record(
        actor, "document.added", event=event, obj=document,
        after={"number": document.number, "title": title, "access": access, "file": revision.original_name},
    )  # fmt: skip
    return document


def _sha256(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _add_revision(document, upload, content_type, uploaded_by, revision):
    return DocumentRevision.objects.create(
        document=document, revision=revision, file=upload, original_name=upload.name[:255],
        content_type=content_type, size=upload.size, sha256=_sha256(upload),
        uploaded_by=uploaded_by if uploaded_by is not None and uploaded_by.is_authenticated else None,
    )  # fmt: skip


@transaction.atomic
def replace_document(document, upload, content_type, *, actor):
    """A new revision under the same number."""
    document = MeetingDocument.objects.select_for_update().get(pk=document.pk)
    previous = document.revisions.order_by("-revision").first()
    revision = _add_revision(document, upload, content_type, actor, (previous.revision if previous else 0) + 1)
    audit.record(
        actor, "document.replaced", event=document.event_id, obj=document,
        before={"revision": previous.revision, "file": previous.original_name} if previous else {},
        after={"revision": revision.revision, "file": revision.original_name},
    )  # fmt: skip
    return revision


# What the log keeps of a session of the draft agenda.
ITEM_LOGGED_FIELDS = ("title", "kind", "starts_at", "ends_at", "room", "description", "speakers")


def _item_values(item):
    values = {name: getattr(item, name) for name in ITEM_LOGGED_FIELDS if name != "speakers"}
    values["speakers"] = sorted(str(speaker) for speaker in item.speakers.all()) if item.pk else []
    return values


@transaction.atomic
def save_item(form, *, actor):
    """Save a session of the draft agenda (a bound, valid AgendaItemForm, new
    or an edit), logging its values before and after (times as UTC, shown in
    the venue's zone on the desk). An edit that changes nothing is not logged."""
    created = form.instance.pk is None
    before = {} if created else _item_values(AgendaItem.objects.get(pk=form.instance.pk))
    item = form.save()
    after = _item_values(item)
    if created or before != after:
        audit.record(
            actor, "agenda.item_added" if created else "agenda.item_changed", event=item.event_id, obj=item,
            before=before, after=after,
        )  # fmt: skip
    return item


@transaction.atomic
def delete_item(item, *, actor):
    """Take a session off the draft agenda (the published versions keep it
    until the next publication)."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    audit.record(actor, "agenda.item_removed", event=item.event_id, obj=item, before=_item_values(item))
    item.delete()
    return item


def _form_values(instance, form):
    values = {}
    for name in form.fields:
        value = getattr(instance, name, None)
        if hasattr(value, "all"):  # many-to-many
            value = sorted(str(related) for related in value.all()) if instance.pk else []
        values[name] = value
    return values


@transaction.atomic
def save_logged(form, *, actor, kind):
    """Save a bound, valid ModelForm of a thing that belongs to no one event
    (a speaker, venue or meeting cluster), logging ``<kind>.created`` or
    ``<kind>.changed`` with the form's fields before and after."""
    model = form._meta.model
    created = form.instance.pk is None
    before = {} if created else _form_values(model.objects.get(pk=form.instance.pk), form)
    instance = form.save()
    after = _form_values(instance, form)
    if created or before != after:
        audit.record(actor, f"{kind}.{'created' if created else 'changed'}", event=None, obj=instance,
                     before=before, after=after)  # fmt: skip
    return instance


@transaction.atomic
def delete_logged(instance, *, actor, kind):
    """Delete a speaker, venue or meeting cluster, logging what it was."""
    values = {
        field.name: getattr(instance, field.name) for field in instance._meta.concrete_fields if field.name != "id"
    }
    audit.record(actor, f"{kind}.deleted", event=None, obj=instance, before=values)
    instance.delete()
    return instance


def save_speaker(form, *, actor):
    """Save a bound, valid speaker form (new or an edit), logged."""
    return save_logged(form, actor=actor, kind="speaker")


def create_speaker(form, *, actor):
    """Add a speaker from a bound, valid SpeakerForm, logged."""
    if form.instance.pk is not None:
        raise ValueError("create_speaker adds a new speaker; use save_speaker for an edit.")
    return save_speaker(form, actor=actor)


def delete_speaker(speaker, *, actor):
    """Delete a speaker: they leave every draft session (published versions
    keep their frozen name)."""
    return delete_logged(speaker, actor=actor, kind="speaker")
