"""Funded travellers on the desk: places per travel-eligible economy, funding
and withdrawing it, each traveller's claim and the attendance that backs it;
and the Secretariat's list of travel-eligible economies (staff only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events.stored_files import file_response
from travel import queries, services
from travel.forms import DecisionForm, EconomyPlacesForm, EligibilityForm, FundForm, ReasonForm, SettingsForm
from travel.models import ClaimDocument, FundedTraveller, TravelEligibility

from .permissions import ORGANISE, VIEW, managed_event


def _funded_most(places):
    """The most travellers funded from one economy that follows the event's
    places per economy (those with their own number do not)."""
    return max((row.used for row in places if not row.own), default=0)


def _page(request, event, *, which=None, status=200):
    """The travel funding page; ``which`` names the form posted (bound to
    request.POST, to show its errors)."""
    settings_row = queries.settings_of(event)
    eligible = queries.eligible_codes()
    places = queries.places(event, settings_row, eligible)
    data = request.POST if which else None
    initial = {"places_per_economy": settings_row.places_per_economy, "claim_due_days": settings_row.claim_due_days}
    forms = {
        "settings_form": SettingsForm(
            data if which == "settings" else None, initial=initial, funded_most=_funded_most(places), prefix="settings"
        ),
        "places_form": EconomyPlacesForm(data if which == "places" else None, places=places, prefix="places"),
        "fund_form": FundForm(
            data if which == "fund" else None,
            registrations=list(queries.fundable(event, eligible)),
            default_days=services.default_per_diem_days(event),
            prefix="fund",
        ),
    }
    if which:
        forms[f"{which}_form"].is_valid()
    context = {"event": event, "settings_row": settings_row, "places": places, **forms}
    context["travellers"] = queries.travellers(event)
    return render(request, "desk/travel.html", context, status=status)


@login_required
def travel(request, slug):
    return _page(request, managed_event(request, slug, need=VIEW))


@login_required
@require_POST
def travel_settings(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = SettingsForm(request.POST, funded_most=_funded_most(queries.places(event)), prefix="settings")
    if not form.is_valid():
        return _page(request, event, which="settings", status=400)
    services.save_settings(event, actor=request.user, **form.cleaned_data)
    messages.success(request, "Travel funding settings saved.")
    return redirect("desk:travel", slug=slug)


@login_required
@require_POST
def travel_places(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = EconomyPlacesForm(request.POST, places=queries.places(event), prefix="places")
    if not form.is_valid():
        return _page(request, event, which="places", status=400)
    economy, places = form.cleaned_data["economy"], form.cleaned_data["places"]
    try:
        services.set_economy_places(event, economy, places, actor=request.user)
    except services.TravelRefused as refusal:
        messages.error(request, str(refusal))
    else:
        label = dict(form.fields["economy"].choices)[economy]
        if places is None:
            messages.success(request, f"{label} has the event's places per economy again.")
        else:
            messages.success(request, f"{label} has {places} funded place{'s' if places != 1 else ''}.")
    return redirect("desk:travel", slug=slug)


@login_required
@require_POST
def travel_fund(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = FundForm(
        request.POST,
        registrations=list(queries.fundable(event)),
        default_days=services.default_per_diem_days(event),
        prefix="fund",
    )
    if not form.is_valid():
        return _page(request, event, which="fund", status=400)
    data = form.cleaned_data
    try:
        traveller = services.fund(
            data["registration"], data["category"], actor=request.user,
            airfare_class=data["airfare_class"], per_diem_days=data["per_diem_days"],
        )  # fmt: skip
    except services.TravelRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"{data['registration'].user.display_name} is funded as {traveller.get_category_display()}."
        )
    return redirect("desk:travel", slug=slug)


def _traveller(event, pk):
    return get_object_or_404(
        FundedTraveller.objects.select_related("registration__user__profile", "decided_by__profile"),
        pk=pk,
        registration__event=event,
    )


def _claim_page(request, event, traveller, *, unfund_form=None, decision_form=None, status=200):
    queries.with_backing(event, [traveller])
    context = {
        "event": event,
        "traveller": traveller,
        "registration": traveller.registration,
        "documents": traveller.documents.all(),
        "backing": traveller.backing,
        "unfund_form": unfund_form or ReasonForm(prefix="unfund"),
        "decision_form": decision_form or DecisionForm(prefix="decision"),
    }
    return render(request, "desk/travel_claim.html", context, status=status)


@login_required
def travel_claim(request, slug, pk):
    event = managed_event(request, slug, need=VIEW)
    return _claim_page(request, event, _traveller(event, pk))


@login_required
@require_POST
def travel_decide(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    traveller = _traveller(event, pk)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        return _claim_page(request, event, traveller, decision_form=form, status=400)
    try:
        if form.cleaned_data["decision"] == "accept":
            services.accept_claim(traveller, actor=request.user)
            messages.success(request, "The claim is accepted; the traveller is told.")
        else:
            services.return_claim(traveller, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, "The claim is returned for changes; the traveller is told why.")
    except services.TravelRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("desk:travel_claim", slug=slug, pk=pk)


@login_required
@require_POST
def travel_unfund(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    traveller = _traveller(event, pk)
    form = ReasonForm(request.POST, prefix="unfund")
    if not form.is_valid():
        return _claim_page(request, event, traveller, unfund_form=form, status=400)
    try:
        services.unfund(traveller, actor=request.user, reason=form.cleaned_data["reason"])
    except services.TravelRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("desk:travel_claim", slug=slug, pk=pk)
    messages.success(request, f"Funding withdrawn from {traveller.registration.user.display_name}; the place is free.")
    return redirect("desk:travel", slug=slug)


@login_required
def travel_document(request, slug, pk, document):
    # Boarding passes and receipts are personal data: organisers only, not viewers.
    event = managed_event(request, slug, need=ORGANISE)
    item = get_object_or_404(ClaimDocument, pk=document, traveller_id=pk, traveller__registration__event=event)
    return file_response(
        item.file.name, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


@login_required
def travel_eligibility(request):
    """APEC's travel-eligible economies, as the Secretariat keeps them."""
    if not request.user.is_staff:
        raise PermissionDenied("Only the APEC Secretariat (staff) edits the travel-eligible economies.")
    rows = list(TravelEligibility.objects.select_related("changed_by__profile"))
    initial = {"eligible": [row.economy for row in rows if row.eligible]}
    form = EligibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.set_eligibility(form.cleaned_data["eligible"], actor=request.user)
        if changed:
            names = ", ".join(row.get_economy_display() for row in changed)
            messages.success(request, f"Saved: {names} changed.")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("desk:travel_eligibility")
    return render(
        request,
        "desk/travel_eligibility.html",
        {
            "form": form,
            "changes": sorted((row for row in rows if row.changed_at), key=lambda row: row.changed_at, reverse=True),
        },
        status=400 if form.errors else 200,
    )
