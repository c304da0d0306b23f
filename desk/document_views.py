"""Meeting documents as organisers handle them: upload (numbered the APEC
way) and replace (a new revision under the same number)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from events import services
from events.document_queries import documents_with_sessions, levels_for
from events.models import MeetingDocument

from .forms import DocumentForm, ReplaceDocumentForm
from .permissions import ORGANISE, VIEW, managed_event


@login_required
def manage_documents(request, slug):
    event = managed_event(request, slug, need=VIEW)
    form = DocumentForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        document = services.add_document(
            event,
            form.cleaned_data["title"],
            form.cleaned_data["file"],
            form.content_type,
            form.cleaned_data["access"],
            actor=request.user,
            item_uid=form.cleaned_data["item"] or None,
        )
        messages.success(request, f"“{document.title}” is document {document.number}.")
        return redirect("desk:documents", slug=slug)
    # Organisers-only documents are listed for owners and organisers (and
    # staff); a viewer sees what registered participants see.
    documents = documents_with_sessions(event, levels_for(request.user, event))
    return render(request, "desk/documents.html", {"event": event, "form": form, "documents": documents})


@login_required
def replace_document(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    document = get_object_or_404(MeetingDocument, pk=pk, event=event)
    form = ReplaceDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        revision = services.replace_document(document, form.cleaned_data["file"], form.content_type, actor=request.user)
        messages.success(request, f"{document.number} now has revision {revision.revision}.")
        return redirect("desk:documents", slug=slug)
    return render(request, "desk/document_replace.html", {"event": event, "document": document, "form": form})
