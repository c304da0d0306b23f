"""Who may read which meeting documents, and the documents with the session
each belongs to: read rules shared by the public pages and the desk."""

from django.db.models import Prefetch

from .agenda import session_label
from .models import DocumentRevision, Event, MeetingDocument, PublishedItem
from .rendered_lists import SESSION_GONE

# Whether a person counts as a registered participant of an event is decided
# by the registrations app, which events may not import: it adds its check
# here when it starts (registrations/apps.py).
_registered_participant_checks = []


def add_registered_participant_check(check):
    """``check(event, user) -> bool``: may this signed-in user read the
    documents meant for registered participants?"""
    _registered_participant_checks.append(check)


def levels_for(user, event):
    """Access levels the user may see for this event: everything for its
    owners and organisers (and staff); the registered participants' level for
    them and for the rest of its team (check-in staff, viewers); public
    documents for everyone else."""
    levels = [MeetingDocument.Access.PUBLIC]
    if user.is_authenticated:
        if Event.objects.organised_by(user).filter(pk=event.pk).exists():
            return [*MeetingDocument.Access.values]
        if Event.objects.managed_by(user).filter(pk=event.pk).exists() or any(
            check(event, user) for check in _registered_participant_checks
        ):
            levels.append(MeetingDocument.Access.REGISTERED)
    return levels


def documents_with_sessions(event, levels):
    """The documents the reader may see, each with ``session``: the agenda
    item it belongs to in the latest published agenda ("" for the whole event)."""
    latest = DocumentRevision.objects.order_by("document", "-revision")
    documents = list(
        MeetingDocument.objects.filter(event=event, access__in=levels)
        .prefetch_related(Prefetch("revisions", queryset=latest))
        .order_by("sequence")
    )
    uids = {document.item_uid for document in documents if document.item_uid}
    items = {}
    if uids and event.current_version_id:
        published = PublishedItem.objects.filter(version_id=event.current_version_id, uid__in=uids)
        items = {item.uid: item for item in published.only("uid", "title", "starts_at")}
    for document in documents:
        document.session = ""
        if item := items.get(document.item_uid):
            document.session = session_label(item, event.tz)
        elif document.item_uid:
            document.session = SESSION_GONE
    return documents
