"""The organiser desk for registrations: the list, one registration, decisions
(approve, decline, move), capacity and exports. Every registration is reached
through its event (``permissions.managed_registration``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from registrations import exports, queries, services
from registrations.models import Registration
from registrations.views import letter_response

from .feedback import refused
from .forms import CapacityForm, DecisionForm, MoveForm, RegistrationFilterForm
from .permissions import ORGANISE, VIEW, managed_event, managed_registration

PER_PAGE = 50
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


def _moved(request, registration):
    messages.success(request, f"{registration.user.display_name} is now {registration.get_status_display().lower()}.")


@login_required
def registration_list(request, slug):
    event = managed_event(request, slug, need=VIEW)
    form = RegistrationFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, "Some filters were not understood and were ignored.")
    page = Paginator(_filtered(event, form), PER_PAGE).get_page(request.GET.get("page"))
    by_economy = (
        Registration.objects.filter(event=event, status__in=Registration.SEATED)
        .values("economy")
        .annotate(n=Count("pk"))
        .order_by("-n", "economy")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk/registrations.html",
        {
            "event": event,
            "form": form,
            "page": page,
            "counts": queries.status_counts(event),
            "by_economy": [
                (Registration(economy=row["economy"]).get_economy_display(), row["n"]) for row in by_economy
            ],
            "capacity_form": CapacityForm(initial={"capacity": event.capacity}),
            "query": query.urlencode(),
        },
    )


@login_required
def registration_detail(request, slug, uid):
    event, registration = managed_registration(request, slug, uid, need=ORGANISE)
    return render(
        request,
        "desk/registration_detail.html",
        {"event": event, "registration": registration, "move_form": MoveForm(), "decision_form": DecisionForm()},
    )


def _decision(request, slug, uid, action):
    _, registration = managed_registration(request, slug, uid, need=ORGANISE)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The reason is too long (500 characters at most).")
        return redirect("desk:registration", slug=slug, uid=uid)
    try:
        registration = action(registration, reason=form.cleaned_data["reason"], actor=request.user)
    except services.RegistrationRefused as refusal:
        refused(request, refusal)
    else:
        _moved(request, registration)
    return redirect("desk:registration", slug=slug, uid=uid)


@login_required
@require_POST
def approve(request, slug, uid):
    return _decision(request, slug, uid, services.approve)


@login_required
@require_POST
def decline(request, slug, uid):
    return _decision(request, slug, uid, services.decline)


@login_required
@require_POST
def move(request, slug, uid):
    event, registration = managed_registration(request, slug, uid, need=ORGANISE)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            registration = services.move(
                registration, form.cleaned_data["status"], form.cleaned_data["reason"], actor=request.user
            )
        except services.RegistrationRefused as refusal:
            refused(request, refusal)
        else:
            _moved(request, registration)
            return redirect("desk:registration", slug=slug, uid=uid)
    return render(
        request,
        "desk/registration_detail.html",
        {"event": event, "registration": registration, "move_form": form, "decision_form": DecisionForm()},
        status=200 if form.is_valid() else 400,
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
