"""Meeting documents: uploaded by organisers, listed and downloaded by whoever
their access level allows, always through this view (never a public media URL)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from . import rendered_lists, services
from .agenda import session_label
from .desk_views import managed_event
from .forms import DocumentForm, ReplaceDocumentForm
from .models import DocumentRevision, Event, MeetingDocument, PublishedItem
from .rendered_lists import SESSION_GONE
from .stored_files import file_response


def _levels_for(user, event):
    """Access levels the user may see for this event."""
    levels = [MeetingDocument.Access.PUBLIC]
    if user.is_authenticated:
        if Event.objects.managed_by(user).filter(pk=event.pk).exists():
            return [*MeetingDocument.Access.values]
        from registrations.models import Registration

        # Confirmed and attended participants only: not pending or waitlisted ones.
        if Registration.objects.filter(event=event, user=user, status__in=Registration.SEATED).exists():
            levels.append(MeetingDocument.Access.REGISTERED)
    return levels


def _documents(event, levels):
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


def _public_event(request, slug):
    return get_object_or_404(Event.objects.visible_to(request.user).select_related("venue", "cluster"), slug=slug)


def document_list(request, slug):
    event = _public_event(request, slug)
    documents = _documents(event, _levels_for(request.user, event))
    return render(request, "events/documents.html", {"event": event, "documents": documents})


def document_list_pdf(request, slug):
    """Printed once per state of the list for each audience (what the reader's
    access level shows), then served from storage (events/rendered_lists.py)."""
    event = _public_event(request, slug)
    audience = _levels_for(request.user, event)[-1]
    return rendered_lists.respond(request, event, f"documents-{audience}", f"{slug}-documents.pdf", "list of documents")


def download(request, slug, pk):
    event = _public_event(request, slug)
    document = get_object_or_404(MeetingDocument, pk=pk, event=event)
    if document.access not in _levels_for(request.user, event):
        raise Http404("No such document.")  # not 403: its existence is not disclosed
    revision = document.revisions.order_by("-revision").first()
    response = file_response(
        revision.file.name,
        as_attachment=True,
        filename=f"{document.number.replace('/', '-')} {revision.original_name}",
        content_type=revision.content_type,
        sha256=revision.sha256,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def manage_documents(request, slug):
    event = managed_event(request, slug)
    form = DocumentForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        document = services.add_document(
            event,
            form.cleaned_data["title"],
            form.cleaned_data["file"],
            form.content_type,
            form.cleaned_data["access"],
            request.user,
            item_uid=form.cleaned_data["item"] or None,
        )
        messages.success(request, f"“{document.title}” is document {document.number}.")
        return redirect("desk:documents", slug=slug)
    documents = _documents(event, MeetingDocument.Access.values)
    return render(request, "desk/documents.html", {"event": event, "form": form, "documents": documents})


@login_required
def replace_document(request, slug, pk):
    event = managed_event(request, slug)
    document = get_object_or_404(MeetingDocument, pk=pk, event=event)
    form = ReplaceDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        revision = services.replace_document(document, form.cleaned_data["file"], form.content_type, request.user)
        messages.success(request, f"{document.number} now has revision {revision.revision}.")
        return redirect("desk:documents", slug=slug)
    return render(request, "desk/document_replace.html", {"event": event, "document": document, "form": form})
