"""Meeting documents as readers get them: listed and downloaded by whoever
their access level allows, always through this view (never a public media URL)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import rendered_lists
from .document_queries import documents_with_sessions, levels_for
from .models import Event, MeetingDocument
from .stored_files import file_response


def _public_event(request, slug):
    return get_object_or_404(Event.objects.visible_to(request.user).select_related("venue", "cluster"), slug=slug)


def document_list(request, slug):
    event = _public_event(request, slug)
    documents = documents_with_sessions(event, levels_for(request.user, event))
    return render(request, "events/documents.html", {"event": event, "documents": documents})


def document_list_pdf(request, slug, status=False):
    """Printed once per state of the list for each audience (what the reader's
    access level shows), then served from storage (events/rendered_lists.py)."""
    event = _public_event(request, slug)
    audience = levels_for(request.user, event)[-1]
    return rendered_lists.respond(
        request,
        event,
        f"documents-{audience}",
        f"{slug}-documents.pdf",
        "list of documents",
        "events:documents_pdf",
        status=status,
    )


def download(request, slug, pk):
    event = _public_event(request, slug)
    document = get_object_or_404(MeetingDocument, pk=pk, event=event)
    if document.access not in levels_for(request.user, event):
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
