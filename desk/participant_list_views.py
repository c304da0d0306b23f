"""The official List of Participants on the desk: the provisional list as it
stands (page, PDF, Word), and making it final."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from delegations import participant_list
from delegations import services as delegation_services
from delegations.models import FinalParticipantList
from events import rendered_lists
from events.stored_files import file_response

from .permissions import ORGANISE, VIEW, managed_event


@login_required
def participant_list_page(request, slug):
    event = managed_event(request, slug, need=VIEW)
    final = FinalParticipantList.objects.filter(event=event).select_related("document").first()
    if final is not None:
        delegation_services.hand_off_again_if_stalled(final)
    listed = participant_list.sections(event)
    return render(
        request,
        "desk/participant_list.html",
        {"event": event, "sections": listed, "count": participant_list.head_count(listed), "final": final},
    )


def _provisional(request, slug, file_format, status):
    event = managed_event(request, slug, need=VIEW)
    return rendered_lists.respond(
        request,
        event,
        f"list-of-participants-{file_format}",
        f"{slug}-list-of-participants-provisional.{file_format}",
        "provisional List of Participants",
        f"desk:participant_list_{file_format}",
        status=status,
    )


@login_required
def provisional_pdf(request, slug, status=False):
    return _provisional(request, slug, "pdf", status)


@login_required
def provisional_docx(request, slug, status=False):
    return _provisional(request, slug, "docx", status)


@login_required
@require_POST
def finalise(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    try:
        delegation_services.finalise(event, actor=request.user)
    except delegation_services.ListAlreadyFinal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The List of Participants is final. It is being printed and numbered.")
    return redirect("desk:participant_list", slug=slug)


@login_required
def final_docx(request, slug):
    event = managed_event(request, slug, need=VIEW)
    final = FinalParticipantList.objects.filter(event=event).select_related("document").first()
    if final is None or not final.printed:
        raise Http404("The final List of Participants is not printed yet.")
    return file_response(
        final.docx.name,
        content_type=participant_list.DOCX,
        filename=f"{slug}-list-of-participants-{final.document.number.replace('/', '-')}.docx",
    )
