"""The organiser desk for registrations. Every view reaches its event through
``Event.objects.managed_by``, and every registration through that event, so an
organiser of another event gets a 404."""

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events.desk_views import managed_event
from events.stored_files import file_response
from ops.health import background_status

from . import documents as registration_documents
from . import exports, reminders, services
from .forms import CapacityForm, DecisionForm, MoveForm, OrganiserMessageForm, RegistrationFilterForm
from .models import Delivery, GeneratedDocument, OrganiserMessage, Registration
from .views import letter_response

PER_PAGE = 50
Status = Registration.Status


def _registrations(event):
    return Registration.objects.filter(event=event).select_related("user__profile").order_by("queued_at", "pk")


def _managed_registration(request, slug, uid):
    event = managed_event(request, slug)
    return event, get_object_or_404(_registrations(event), uid=uid)


def _filtered(event, form):
    registrations = _registrations(event)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            registrations = registrations.filter(status=data["status"])
        if data["type"]:
            registrations = registrations.filter(participation_type=data["type"])
        if data["economy"]:
            registrations = registrations.filter(economy=data["economy"])
        if data["q"]:
            text = data["q"].strip()
            registrations = registrations.filter(
                Q(user__profile__full_name__icontains=text)
                | Q(user__email__icontains=text)
                | Q(organisation__icontains=text)
            )
    return registrations


def _counts(event):
    counts = Registration.objects.filter(event=event).aggregate(
        **{status.value: Count("pk", filter=Q(status=status.value)) for status in Status}
    )
    counts["seated"] = counts[Status.CONFIRMED] + counts[Status.ATTENDED]
    return counts


def _refused(request, refusal):
    messages.error(request, " ".join(refusal.messages))


def _moved(request, registration):
    messages.success(request, f"{registration.user.display_name} is now {registration.get_status_display().lower()}.")


@login_required
def registration_list(request, slug):
    event = managed_event(request, slug)
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
            "counts": _counts(event),
            "by_economy": [
                (Registration(economy=row["economy"]).get_economy_display(), row["n"]) for row in by_economy
            ],
            "capacity_form": CapacityForm(initial={"capacity": event.capacity}),
            "query": query.urlencode(),
        },
    )


@login_required
def registration_detail(request, slug, uid):
    event, registration = _managed_registration(request, slug, uid)
    return render(
        request,
        "desk/registration_detail.html",
        {"event": event, "registration": registration, "move_form": MoveForm(), "decision_form": DecisionForm()},
    )


def _decision(request, slug, uid, action):
    _, registration = _managed_registration(request, slug, uid)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The reason is too long (500 characters at most).")
        return redirect("desk:registration", slug=slug, uid=uid)
    try:
        registration = action(registration, form.cleaned_data["reason"])
    except services.RegistrationRefused as refusal:
        _refused(request, refusal)
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
    event, registration = _managed_registration(request, slug, uid)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            registration = services.move(registration, form.cleaned_data["status"], form.cleaned_data["reason"])
        except services.RegistrationRefused as refusal:
            _refused(request, refusal)
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
    event = managed_event(request, slug)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, f"Capacity not changed: {errors}")
        return redirect("desk:registrations", slug=slug)
    try:
        event, promoted = services.set_capacity(event, form.cleaned_data["capacity"])
    except services.RegistrationRefused as refusal:
        _refused(request, refusal)
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
    event = managed_event(request, slug)
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
def checkin(request, slug):
    event = managed_event(request, slug)
    if request.method == "POST":
        try:
            uid = uuid.UUID(request.POST.get("registration", ""))
        except ValueError:
            messages.error(request, "That check-in did not name a registration: search for the person again.")
        else:
            _check_in(request, get_object_or_404(_registrations(event), uid=uid))
        return redirect(f"{request.path}?{urlencode({'q': _search_text(request.POST)})}")
    text = _search_text(request.GET)
    matches = []
    if text:
        matches = (
            _registrations(event)
            .filter(status__in=Registration.SEATED)
            .filter(
                Q(user__profile__full_name__icontains=text)
                | Q(user__email__icontains=text)
                | Q(organisation__icontains=text)
            )[:30]
        )
    return render(
        request, "desk/checkin.html", {"event": event, "q": text, "matches": matches, "counts": _counts(event)}
    )


def _search_text(data):
    # PostgreSQL refuses NUL in text; nobody's name holds one.
    return data.get("q", "").replace("\x00", "").strip()[:100]


def _check_in(request, registration):
    try:
        registration, new = services.check_in(registration)
    except services.RegistrationRefused as refusal:
        _refused(request, refusal)
        return
    name = registration.user.display_name
    if new:
        messages.success(request, f"{name} is checked in.")
    else:
        messages.warning(request, f"{name} was already checked in at {registration.checked_in_at:%H:%M} UTC.")


@login_required
def checkin_code(request, slug, code):
    event = managed_event(request, slug)
    if "\x00" in code:  # PostgreSQL refuses NUL in text; no code holds one
        raise Http404("No such check-in code.")
    registration = get_object_or_404(_registrations(event), checkin_code=code)
    if request.method == "POST":
        _check_in(request, registration)
        return redirect("desk:checkin", slug=slug)
    return render(request, "desk/checkin_code.html", {"event": event, "registration": registration})


@login_required
def messages_page(request, slug):
    event = managed_event(request, slug)
    form = OrganiserMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = reminders.send_organiser_message(
            event,
            request.user,
            form.cleaned_data["subject"],
            form.cleaned_data["body"],
            {key: form.cleaned_data[key] for key in ("status", "type", "economy")},
            form.recipients(event),
        )
        messages.success(request, f"Your message is on its way to {message.recipients} participants.")
        return redirect("desk:message", slug=slug, pk=message.pk)
    sent = OrganiserMessage.objects.filter(event=event)
    undelivered = list(reminders.undelivered(event)[: reminders.UNDELIVERED_SHOWN + 1])
    return render(
        request,
        "desk/messages.html",
        {
            "event": event,
            "form": form,
            "sent": sent,
            "undelivered": undelivered[: reminders.UNDELIVERED_SHOWN],
            "more_undelivered": len(undelivered) > reminders.UNDELIVERED_SHOWN,
            "max_attempts": settings.MAIL_MAX_ATTEMPTS,
        },
    )


@login_required
@require_POST
def delivery_try_again(request, slug, pk):
    event = managed_event(request, slug)
    delivery = get_object_or_404(
        Delivery.objects.select_related("registration__user"), pk=pk, registration__event=event
    )
    if reminders.try_again(delivery, request.user):
        messages.success(request, f"The mail to {delivery.registration.user.email} is being sent again.")
    else:
        messages.info(request, f"The mail to {delivery.registration.user.email} had not failed; nothing changed.")
    return redirect("desk:messages", slug=slug)


@login_required
def message_detail(request, slug, pk):
    event = managed_event(request, slug)
    message = get_object_or_404(OrganiserMessage, pk=pk, event=event)
    progress = reminders.message_progress(message)
    done = progress["sent"] + progress["skipped"] + progress["failed"]
    return render(
        request,
        "desk/message_detail.html",
        {
            "event": event,
            "message": message,
            "progress": progress,
            "done": done,
            "finished": done >= message.recipients,
            "worker": background_status(),
        },
    )


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
def letter_pdf(request, slug, uid):
    _, registration = _managed_registration(request, slug, uid)
    return letter_response(request, registration)


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
