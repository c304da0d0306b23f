"""The traveller's side: their claim, its documents, and sending it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events.stored_files import file_response

from . import services
from .forms import ClaimDocumentForm
from .models import ClaimDocument, FundedTraveller


def _own_traveller(request, uid):
    # Filtering by owner turns someone else's claim into a plain 404.
    return get_object_or_404(
        FundedTraveller.objects.select_related("registration__event__venue", "registration__user__profile"),
        registration__uid=uid,
        registration__user=request.user,
    )


@login_required
def claim(request, uid):
    traveller = _own_traveller(request, uid)
    form = ClaimDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_document(
                traveller, form.cleaned_data["kind"], form.cleaned_data["file"], form.content_type, form.safe_name,
                actor=request.user,
            )  # fmt: skip
        except services.TravelRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"“{form.safe_name}” is added to your claim.")
        return redirect("travel:claim", uid=uid)
    context = {
        "traveller": traveller,
        "registration": traveller.registration,
        "event": traveller.registration.event,
        "documents": traveller.documents.all(),
        "form": form,
        "required": [ClaimDocument.Kind(kind).label for kind in services.REQUIRED],
    }
    return render(request, "travel/claim.html", context, status=400 if form.errors else 200)


@login_required
def document(request, uid, pk):
    traveller = _own_traveller(request, uid)
    item = get_object_or_404(ClaimDocument, pk=pk, traveller=traveller)
    return file_response(
        item.file.name, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


@login_required
@require_POST
def document_remove(request, uid, pk):
    traveller = _own_traveller(request, uid)
    item = get_object_or_404(ClaimDocument, pk=pk, traveller=traveller)
    try:
        services.remove_document(item, actor=request.user)
    except services.TravelRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"“{item.original_name}” is removed from your claim.")
    return redirect("travel:claim", uid=uid)


@login_required
@require_POST
def submit(request, uid):
    traveller = _own_traveller(request, uid)
    try:
        services.submit_claim(traveller, actor=request.user)
    except services.TravelRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Your claim is submitted. The organisers will tell you when it is accepted.")
    return redirect("travel:claim", uid=uid)
