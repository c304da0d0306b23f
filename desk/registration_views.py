"""The organiser desk for registrations: the list, one registration, decisions
(approve, decline, move), capacity and exports. Every registration is reached
through its event (``permissions.managed_registration``)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from events.economies import Economy
from registrations import exports, queries, services
from registrations.models import Registration
from registrations.views import letter_response
from travel.models import FundedTraveller

from .feedback import refused
from .forms import BulkForm, CapacityForm, DecisionForm, FundingForm, MoveForm, OverrideForm, RegistrationFilterForm
from .permissions import ORGANISE, VIEW, managed_event, managed_registration

PER_PAGE = 50
ECONOMY_NAMES = dict(Economy.choices)
Status = Registration.Status


def _filtered(event, form):
    registrations = queries.of_event(event)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            registrations = registrations.filter(status=data["status"])
        if data["type"]:
            registrations = registrations.filter(participation_type=data["type"])
        if data["economy"]:
            registrations = registrations.filter(economy=data["economy"])
        if data["q"]:
            registrations = queries.matching(registrations, data["q"].strip())
    return registrations


def _filter_query(data):
    """The list's filter as a query string, without the page: carried from
    the list to a registration's page and on, so next/previous walk the same
    filtered list and every decision returns to it."""
    query = QueryDict(mutable=True)
    for key in RegistrationFilterForm.base_fields:
        if data.get(key):
            query[key] = data[key]
    return query.urlencode()


def _back_to(request, slug, uid):
    query = _filter_query(request.GET)
    return redirect(reverse("desk:registration", args=[slug, uid]) + (f"?{query}" if query else ""))


def _neighbours(registrations, registration):
    """Previous and next registration (uids) in queue order, where this one
    stands (1-based) and how many there are: four small queries, whatever the
    list's size. A registration that no longer matches the filter (just
    approved out of "pending") still has its place between the others."""
    at, pk = registration.queued_at, registration.pk
    earlier = registrations.filter(Q(queued_at__lt=at) | Q(queued_at=at, pk__lt=pk))
    later = registrations.filter(Q(queued_at__gt=at) | Q(queued_at=at, pk__gt=pk))
    previous = earlier.order_by("-queued_at", "-pk").values_list("uid", flat=True).first()
    following = later.order_by("queued_at", "pk").values_list("uid", flat=True).first()
    return previous, following, earlier.count() + 1, registrations.count()


def _moved(request, registration):
    messages.success(request, f"{registration.user.display_name} is now {registration.get_status_display().lower()}.")


@login_required
def registration_list(request, slug):
    event = managed_event(request, slug, need=VIEW)
    form = RegistrationFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, "Some filters were not understood and were ignored.")
    page = Paginator(_filtered(event, form), PER_PAGE).get_page(request.GET.get("page"))
    counts = queries.status_counts(event)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk/registrations.html",
        {
            "event": event,
            "form": form,
            "page": page,
            "counts": counts,
            "by_economy": [(ECONOMY_NAMES.get(code, code), n) for code, n in counts["seated_by_economy"]],
            # Each row links to its registration by appending its uid: one
            # reverse() for the page instead of one per row (bench/desk.py).
            "registration_url_prefix": reverse("desk:registrations", args=[event.slug]),
            "capacity_form": CapacityForm(initial={"capacity": event.capacity}),
            "bulk_form": BulkForm(),
            "query": query.urlencode(),
        },
    )


def _detail_context(request, event, registration, **forms):
    query = _filter_query(request.GET)
    previous, following, position, total = _neighbours(
        _filtered(event, RegistrationFilterForm(QueryDict(query) or None)), registration
    )
    return {
        "event": event,
        "registration": registration,
        # Each form of the page has its own prefix, so its fields' ids
        # (id_decision-reason, id_move-reason …) are unique on the page.
        "move_form": forms.get("move_form") or MoveForm(prefix="move"),
        "decision_form": DecisionForm(prefix="decision"),
        "override_form": forms.get("override_form") or OverrideForm(prefix="override"),
        "funding_form": forms.get("funding_form")
        or FundingForm(prefix="funding", initial={"funding": registration.funding}),
        "query": query,
        "previous": previous,
        "next": following,
        "position": position,
        "total": total,
        "filtered": bool(query),
        "seats_taken": services.seats_taken(event) if registration.status == Status.WAITLISTED else None,
    }


@login_required
def registration_detail(request, slug, uid):
    event, registration = managed_registration(request, slug, uid, need=ORGANISE)
    return render(request, "desk/registration_detail.html", _detail_context(request, event, registration))


def _decision(request, slug, uid, action):
    _, registration = managed_registration(request, slug, uid, need=ORGANISE)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        messages.error(request, "The reason is too long (500 characters at most).")
        return _back_to(request, slug, uid)
    try:
        registration = action(registration, reason=form.cleaned_data["reason"], actor=request.user)
    except services.RegistrationRefused as refusal:
        refused(request, refusal)
    else:
        _moved(request, registration)
    return _back_to(request, slug, uid)


def _full_event(request, event, full, uids, reason, action_url, back_url, reason_name="reason"):
    """The step before approving onto a full event: what would happen, and
    a button to go ahead (the same POST, confirmed; ``reason_name``: the
    reason's field name in that POST)."""
    return render(
        request,
        "desk/approve_full.html",
        {
            "event": event,
            "full": full,
            "uids": uids,
            "reason": reason,
            "action_url": action_url,
            "back_url": back_url,
            "back": request.POST.get("back", ""),
            "reason_name": reason_name,
        },
    )


@login_required
@require_POST
def approve(request, slug, uid):
    """Approve one registration. Onto a full event it asks first: approving
    there puts the person on the waiting list, which nobody should do unawares."""
    event, registration = managed_registration(request, slug, uid, need=ORGANISE)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        messages.error(request, "The reason is too long (500 characters at most).")
        return _back_to(request, slug, uid)
    reason = form.cleaned_data["reason"]
    try:
        outcome = services.decide_many(
            event,
            [registration.uid],
            "approve",
            actor=request.user,
            reason=reason,
            waitlist_if_full=request.POST.get("confirm_full") == "1",
        )
    except services.WouldWaitlist as full:
        here = reverse("desk:registration", args=[slug, uid])
        query = _filter_query(request.GET)
        return _full_event(
            request,
            event,
            full,
            [registration.uid],
            reason,
            request.get_full_path(),
            f"{here}?{query}" if query else here,
            reason_name=form.add_prefix("reason"),
        )
    if outcome.skipped:
        ((_, why),) = outcome.skipped
        messages.error(request, f"Only pending registrations can be approved; {why}.")
    else:
        _moved(request, outcome.changed[0][0])
    return _back_to(request, slug, uid)


def _list_url(slug, back):
    query = QueryDict(back or "").urlencode()
    url = reverse("desk:registrations", args=[slug])
    return f"{url}?{query}" if query else url


@login_required
@require_POST
def bulk(request, slug):
    """One decision for the registrations ticked on the list, with one reason,
    in one POST: approve, decline, move, or write them a message (the
    message page, with them as its recipients). Registrations of other events
    are left alone, and said to be."""
    event = managed_event(request, slug)
    form = BulkForm(request.POST)
    back_url = _list_url(slug, request.POST.get("back", "")[:2000])
    if not form.is_valid():
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, f"Nothing was changed: {errors}")
        return redirect(back_url)
    data = form.cleaned_data
    if data["action"] == "message":
        return redirect(reverse("desk:messages", args=[slug]) + "?" + urlencode({"to": data["registration"]}, True))
    try:
        outcome = services.decide_many(
            event,
            data["registration"],
            data["action"],
            actor=request.user,
            reason=data["reason"],
            to_status=data["to_status"] or None,
            waitlist_if_full=request.POST.get("confirm_full") == "1",
        )
    except services.WouldWaitlist as full:
        return _full_event(request, event, full, data["registration"], data["reason"], request.path, back_url)
    except services.RegistrationRefused as refusal:
        refused(request, refusal)
        return redirect(back_url)
    messages.success(request, outcome.summary())
    if outcome.skipped:
        shown = "; ".join(f"{registration.user.display_name} ({why})" for registration, why in outcome.skipped[:5])
        more = len(outcome.skipped) - 5
        messages.info(request, f"Left as they were: {shown}{f' and {more} more' if more > 0 else ''}.")
    return redirect(back_url)


@login_required
@require_POST
def seat_above_capacity(request, slug, uid):
    """The override: this waitlisted person gets a seat although none is free."""
    event, registration = managed_registration(request, slug, uid)
    form = OverrideForm(request.POST, prefix="override")
    if form.is_valid():
        try:
            registration = services.seat_above_capacity(
                registration, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.RegistrationRefused as refusal:
            refused(request, refusal)
        else:
            messages.success(
                request, f"{registration.user.display_name} is now confirmed, above capacity. The reason is recorded."
            )
            return _back_to(request, slug, uid)
    context = _detail_context(request, event, registration, override_form=form)
    return render(request, "desk/registration_detail.html", context, status=400 if not form.is_valid() else 200)


@login_required
@require_POST
def decline(request, slug, uid):
    return _decision(request, slug, uid, services.decline)


@login_required
@require_POST
def move(request, slug, uid):
    event, registration = managed_registration(request, slug, uid, need=ORGANISE)
    form = MoveForm(request.POST, prefix="move")
    if form.is_valid():
        try:
            registration = services.move(
                registration, form.cleaned_data["status"], form.cleaned_data["reason"], actor=request.user
            )
        except services.RegistrationRefused as refusal:
            refused(request, refusal)
        else:
            _moved(request, registration)
            return _back_to(request, slug, uid)
    return render(
        request,
        "desk/registration_detail.html",
        _detail_context(request, event, registration, move_form=form),
        status=200 if form.is_valid() else 400,
    )


@login_required
@require_POST
def set_funding(request, slug, uid):
    event, registration = managed_registration(request, slug, uid, need=ORGANISE)
    if FundedTraveller.objects.filter(registration=registration).exists():
        # Their funding is the travel grant's: withdrawing it there also deals
        # with the place, the entitlements and the claim documents.
        messages.error(
            request,
            f"{registration.user.display_name} is a funded traveller: change or withdraw the funding "
            "on the Travel funding page.",
        )
        return _back_to(request, slug, uid)
    form = FundingForm(request.POST, prefix="funding")
    if form.is_valid():
        before = registration.funding
        registration = services.set_funding(
            registration, form.cleaned_data["funding"], actor=request.user, reason=form.cleaned_data["reason"]
        )
        funding = registration.get_funding_display()
        if registration.funding == before:
            messages.info(request, f"Funding was already {funding}; nothing changed.")
        else:
            messages.success(request, f"Funding is now: {funding}.")
        return _back_to(request, slug, uid)
    return render(
        request,
        "desk/registration_detail.html",
        _detail_context(request, event, registration, funding_form=form),
        status=400,
    )


@login_required
@require_POST
def set_capacity(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, f"Capacity not changed: {errors}")
        return redirect("desk:registrations", slug=slug)
    try:
        event, promoted = services.set_capacity(event, form.cleaned_data["capacity"], actor=request.user)
    except services.RegistrationRefused as refusal:
        refused(request, refusal)
        return redirect("desk:registrations", slug=slug)
    note = (
        f" {len(promoted)} waitlisted {'people were' if len(promoted) != 1 else 'person was'} given a seat."
        if promoted
        else ""
    )
    messages.success(request, f"Capacity is now {event.capacity if event.capacity is not None else 'unlimited'}.{note}")
    return redirect("desk:registrations", slug=slug)


@login_required
def export(request, slug, file_format):
    event = managed_event(request, slug, need=ORGANISE)
    registrations = _filtered(event, RegistrationFilterForm(request.GET or None))
    if file_format == "csv":
        response = HttpResponse(exports.as_csv(registrations), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(registrations, event.title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.{file_format}"'
    return response


@login_required
def letter_pdf(request, slug, uid):
    _, registration = managed_registration(request, slug, uid, need=ORGANISE)
    return letter_response(request, registration)
