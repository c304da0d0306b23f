"""Participant lists, badge sheets and other files printed for organisers,
small ones at once, large ones in the background with a progress page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from events import progress
from events.stored_files import file_response
from ops.health import background_status
from registrations import documents as registration_documents
from registrations.models import GeneratedDocument

from .permissions import ORGANISE, managed_event


@login_required
def participant_list_pdf(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    return registration_documents.pdf_response(
        registration_documents.render_participant_list(event, public=False), f"{slug}-participants.pdf"
    )


@login_required
def badges_pdf(request, slug):
    """Name badges: the PDF at once for a small event, else the progress page
    of their preparation in the background."""
    event = managed_event(request, slug, need=ORGANISE)
    pdf, job = registration_documents.badges(event, request.user)
    if job is not None:
        return redirect("desk:generated", slug=slug, pk=job.pk)
    return registration_documents.pdf_response(pdf, f"{slug}-badges.pdf")


@login_required
@require_POST
def request_document(request, slug, kind):
    event = managed_event(request, slug, need=ORGANISE)
    if kind not in GeneratedDocument.Kind.values:
        raise Http404("No such document.")
    job = registration_documents.request_document(event, kind, request.user)
    return redirect("desk:generated", slug=slug, pk=job.pk)


def _job_status(event, job):
    people = f"{job.items} participant{'' if job.items == 1 else 's'}"
    if job.status == GeneratedDocument.Status.DONE:
        return progress.status(
            progress.READY,
            f"Ready: {people}.",
            url=reverse("desk:generated_download", args=[event.slug, job.pk]),
            url_label="Download the PDF",
        )
    if job.status == GeneratedDocument.Status.FAILED:
        return progress.status(progress.FAILED, f"It could not be made: {job.error}")
    state = progress.RUNNING if job.status == GeneratedDocument.Status.RUNNING else progress.PENDING
    return progress.status(state, f"{job.get_status_display()} ({people}). Large documents take a minute or two.")


@login_required
def generated(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    job = get_object_or_404(GeneratedDocument, pk=pk, event=event)
    return render(
        request,
        "desk/generated.html",
        {"event": event, "job": job, "status": _job_status(event, job), "worker": background_status()},
    )


@login_required
def generated_status(request, slug, pk):
    """The progress page's status URL (static/js/progress.js polls it)."""
    event = managed_event(request, slug, need=ORGANISE)
    job = get_object_or_404(GeneratedDocument, pk=pk, event=event)
    return progress.status_response(_job_status(event, job))


@login_required
def generated_download(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    job = get_object_or_404(GeneratedDocument, pk=pk, event=event, status=GeneratedDocument.Status.DONE)
    return file_response(job.file.name, content_type="application/pdf", filename=f"{slug}-{job.kind}.pdf")
