"""Participant lists, badge sheets and other files printed for organisers,
small ones at once, large ones in the background with a progress page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events.stored_files import file_response
from ops.health import background_status
from registrations import documents as registration_documents
from registrations.models import GeneratedDocument

from .permissions import managed_event


@login_required
def participant_list_pdf(request, slug):
    event = managed_event(request, slug)
    return registration_documents.pdf_response(
        registration_documents.render_participant_list(event, public=False), f"{slug}-participants.pdf"
    )


@login_required
def badges_pdf(request, slug):
    event = managed_event(request, slug)
    return registration_documents.pdf_response(registration_documents.render_badges(event), f"{slug}-badges.pdf")


@login_required
@require_POST
def request_document(request, slug, kind):
    event = managed_event(request, slug)
    if kind not in GeneratedDocument.Kind.values:
        raise Http404("No such document.")
    job = registration_documents.request_document(event, kind, request.user)
    return redirect("desk:generated", slug=slug, pk=job.pk)


@login_required
def generated(request, slug, pk):
    event = managed_event(request, slug)
    job = get_object_or_404(GeneratedDocument, pk=pk, event=event)
    return render(request, "desk/generated.html", {"event": event, "job": job, "worker": background_status()})


@login_required
def generated_download(request, slug, pk):
    event = managed_event(request, slug)
    job = get_object_or_404(GeneratedDocument, pk=pk, event=event, status=GeneratedDocument.Status.DONE)
    return file_response(job.file.name, content_type="application/pdf", filename=f"{slug}-{job.kind}.pdf")
