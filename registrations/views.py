from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from events import rendered_lists
from events.calendar import registration_invitation
from events.models import Event

from . import documents, hooks, services
from .checkin import checkin_url, qr_svg
from .forms import RegistrationForm
from .models import ParticipantProfile, Registration

OUTCOME_MESSAGES = {
    Registration.Status.CONFIRMED: "You are registered and your seat is confirmed. A confirmation e-mail is on its way.",
    Registration.Status.WAITLISTED: "The event is full: you are on the waiting list and will be told at once if a seat frees up.",
    Registration.Status.PENDING: "Your registration is received and waits for the organisers' approval.",
}


def _with_queue_position(registrations):
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=Registration.Status.WAITLISTED)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk")))
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # No row from the subquery means nobody is ahead.
    return registrations.annotate(ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), 0))


def _own_registration(request, uid):
    # Filtering by owner turns someone else's id into a plain 404.
    return get_object_or_404(
        Registration.objects.select_related("event__venue", "user__profile"), uid=uid, user=request.user
    )


@login_required
def register(request, slug):
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    existing = Registration.objects.filter(event=event, user=request.user, status__in=Registration.ACTIVE).first()
    if existing:
        messages.info(request, f"You are already registered for this event ({existing.get_status_display().lower()}).")
        return redirect("registrations:detail", uid=existing.uid)
    closed = services.registration_open(event)
    profile = ParticipantProfile.objects.filter(user=request.user).first()
    initial = {"economy": profile.economy, "organisation": profile.organisation} if profile else {}
    form = RegistrationForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            # The event's own questions are answered with the registration or not at all.
            with transaction.atomic():
                registration = services.register(event, request.user, **form.answers())
                form.save_extras(registration, actor=request.user)
        except services.RegistrationRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, OUTCOME_MESSAGES[registration.status])
            return redirect("registrations:mine")
    return render(
        request,
        "registrations/register.html",
        {
            "event": event,
            "form": form,
            "closed": closed,
            "seats_free": services.seats_free(event),
            "retention_days": settings.PERSONAL_DATA_RETENTION.days,
        },
    )


@login_required
def my_registrations(request):
    registrations = _with_queue_position(
        Registration.objects.filter(user=request.user).select_related("event__venue").order_by("-event__starts_at")
    )
    return render(
        request,
        "registrations/mine.html",
        {"registrations": registrations, "sections": hooks.mine_sections(request)},
    )


@login_required
def detail(request, uid):
    registration = _own_registration(request, uid)
    qr = qr_svg(checkin_url(registration)) if registration.holds_seat else ""
    context = {
        "registration": registration,
        "event": registration.event,
        "qr": qr,
        "sections": hooks.detail_sections(request, registration),
    }
    return render(request, "registrations/detail.html", context)


@login_required
def cancel(request, uid):
    registration = _own_registration(request, uid)
    if request.method == "POST":
        try:
            services.cancel(registration, actor=request.user, reason="Cancelled by the participant.")
        except services.RegistrationRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"Your registration for “{registration.event.title}” is cancelled.")
        return redirect("registrations:mine")
    return render(request, "registrations/cancel.html", {"registration": registration, "event": registration.event})


@login_required
def invitation(request, uid):
    registration = _own_registration(request, uid)
    method = "REQUEST" if registration.holds_seat else ("PUBLISH" if registration.is_active else "CANCEL")
    response = HttpResponse(registration_invitation(registration, method), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
    return response


def public_participant_list(request, slug, status=False):
    """Only people who agreed to be listed, and only name, organisation, economy.
    Printed once per state of the list, then served from storage."""
    event = get_object_or_404(Event.objects.public().select_related("venue"), slug=slug)
    return rendered_lists.respond(
        request,
        event,
        "participants-public",
        f"{slug}-participants-public.pdf",
        "list of participants",
        "registrations:participants_pdf",
        status=status,
    )


@login_required
def certificate(request, uid):
    registration = _own_registration(request, uid)
    # Remote participants never pass the door: a session they followed
    # online earns the certificate as a check-in does.
    attendance = hooks.attendance_summary(registration)
    if registration.status != Registration.Status.ATTENDED and not (attendance and attendance.any):
        raise Http404("A certificate exists once your attendance has been recorded at the event.")
    return documents.pdf_response(
        documents.render_certificate(registration, attendance), f"certificate-{registration.event.slug}.pdf"
    )


@login_required
def letter(request, uid):
    registration = _own_registration(request, uid)
    return letter_response(request, registration)


def letter_response(request, registration):
    try:
        issued = services.issue_letter(registration, actor=request.user)
    except services.RegistrationRefused as refusal:
        raise Http404(" ".join(refusal.messages)) from None
    return documents.pdf_response(documents.render_letter(issued), f"invitation-letter-{issued.number:03d}.pdf")
