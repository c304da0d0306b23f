"""The focal point's pages (their economy's delegation to each event they
serve) and the nominated delegate's own details. A focal point reaches only
their own economy's delegation: anything else is a 404, as if it did not
exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events.economies import Economy
from events.models import Event
from events.stored_files import file_response
from questions import queries as question_queries
from questions import services as question_services
from questions.forms import AnswersForm
from registrations.models import Registration

from . import nominations, queries
from .forms import DetailsForm, LetterForm, NominateForm
from .models import Nomination, NominationLetter


def _delegation(request, slug, economy):
    """The event and economy of a delegation the signed-in user is focal point of, or 404."""
    event = get_object_or_404(Event.objects.exclude(status=Event.Status.CANCELLED).select_related("venue"), slug=slug)
    if economy not in Economy.values or economy == Economy.OTHER:
        raise Http404("No such delegation.")
    if not queries.is_focal_point(request.user, event, economy):
        raise Http404("No such delegation.")
    return event, Economy(economy)


def _nomination(event, economy, uid):
    return get_object_or_404(
        Nomination.objects.select_related("registration__user__profile", "event"),
        event=event,
        economy=economy,
        registration__uid=uid,
    )


@login_required
def mine(request):
    """Every delegation the signed-in person nominates, next events first."""
    served = queries.delegations_of(request.user)
    counts = (
        Nomination.objects.filter(
            event__in=[event for event, _ in served],
            state__in=Nomination.ACTIVE,
            registration__status__in=Registration.ACTIVE,
        )
        .values("event", "economy")
        .annotate(n=Count("pk"))
        .order_by()
    )
    used = {(row["event"], row["economy"]): row["n"] for row in counts}
    rows = [
        {"event": event, "economy": Economy(economy), "used": used.get((event.pk, economy), 0)}
        for event, economy in served
    ]
    return render(request, "delegations/mine.html", {"rows": rows})


def _page(request, event, economy, *, nominate_form=None, letter_form=None, status=200):
    settings = queries.settings_for(event)
    people = list(
        Nomination.objects.filter(event=event, economy=economy)
        .select_related("registration__user__profile")
        .order_by("-registration__participation_type", "nominated_at", "pk")
    )
    used = sum(
        1 for nomination in people if nomination.is_active and nomination.registration.status in Registration.ACTIVE
    )
    quota = queries.quota_for(event, economy, settings)
    return render(
        request,
        "delegations/delegation.html",
        {
            "event": event,
            "economy": economy,
            "people": people,
            "used": used,
            "quota": quota,
            "left": max(quota - used, 0),
            "letter": NominationLetter.objects.filter(event=event, economy=economy).first(),
            "nominate_form": nominate_form or NominateForm(),
            "letter_form": letter_form or LetterForm(),
            "focal_points": queries.serving(event)
            .filter(economy=economy)
            .select_related("user__profile")
            .order_by("appointed_at"),
        },
        status=status,
    )


@login_required
def delegation(request, slug, economy):
    """The delegation's page; a POST nominates a delegate."""
    event, economy = _delegation(request, slug, economy)
    if request.method != "POST":
        return _page(request, event, economy)
    form = NominateForm(request.POST)
    if form.is_valid():
        try:
            nomination = nominations.nominate(
                event,
                economy,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                participation_type=form.cleaned_data["participation_type"],
                actor=request.user,
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                f"{nomination.registration.user.display_name} is nominated; they are told by mail "
                "and asked to complete their details.",
            )
            return redirect("delegations:delegation", slug=event.slug, economy=economy.value)
    return _page(request, event, economy, nominate_form=form, status=400)


@login_required
@require_POST
def withdraw(request, slug, economy, uid):
    event, economy = _delegation(request, slug, economy)
    nomination = _nomination(event, economy, uid)
    try:
        nominations.withdraw(nomination, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"The nomination of {nomination.registration.user.display_name} is withdrawn.")
    return redirect("delegations:delegation", slug=event.slug, economy=economy.value)


@login_required
@require_POST
def name_head(request, slug, economy, uid):
    event, economy = _delegation(request, slug, economy)
    nomination = _nomination(event, economy, uid)
    try:
        nominations.name_head(nomination, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"{nomination.registration.user.display_name} is Head of Delegation.")
    return redirect("delegations:delegation", slug=event.slug, economy=economy.value)


@login_required
@require_POST
def upload_letter(request, slug, economy):
    event, economy = _delegation(request, slug, economy)
    form = LetterForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, event, economy, letter_form=form, status=400)
    nominations.upload_letter(event, economy, form.cleaned_data["letter"], actor=request.user)
    messages.success(request, "The nomination letter is uploaded; the Secretariat can read it.")
    return redirect("delegations:delegation", slug=event.slug, economy=economy.value)


def letter_response(letter):
    return file_response(letter.file.name, filename=letter.filename, content_type="application/pdf", as_attachment=True)


@login_required
def letter(request, slug, economy):
    event, economy = _delegation(request, slug, economy)
    return letter_response(get_object_or_404(NominationLetter, event=event, economy=economy))


@login_required
def details(request, uid):
    """The nominated delegate completes their own details; anyone else's
    registration, or one that is no nomination, is a 404."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("registration__event__venue", "registration__user"),
        registration__uid=uid,
        registration__user=request.user,
    )
    registration = nomination.registration
    form = DetailsForm(request.POST or None, instance=registration)
    # The event's own questions for the delegate's participation type: the
    # register form asks them of those who register themselves.
    questions = list(question_queries.register_questions(registration.event))
    answers = question_queries.answers_by_registration([registration.pk], questions).get(registration.pk, {})
    questions_form = AnswersForm(
        request.POST or None,
        questions=questions,
        participation_type=registration.participation_type,
        answers=answers,
        prefix="questions",
    )
    if request.method == "POST" and form.is_valid() and questions_form.is_valid():
        try:
            with transaction.atomic():
                nominations.complete_details(registration, form.answers(), actor=request.user)
                question_services.save_register_answers(registration, questions_form.values(), actor=request.user)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, "Your details are saved.")
            return redirect("registrations:detail", uid=registration.uid)
    context = {
        "nomination": nomination,
        "registration": registration,
        "event": registration.event,
        "form": form,
        "questions_form": questions_form,
    }
    return render(request, "delegations/details.html", context, status=400 if request.method == "POST" else 200)
