"""The desk's survey pages: an event's evaluation and follow-up survey, their
questions, opening and closing them, and their results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from evaluation import export, queries, services
from evaluation.models import Question, Survey
from evaluation.results import survey_results

from .evaluation_forms import CreateSurveyForm, QuestionForm, SurveySettingsForm
from .permissions import ORGANISE, VIEW, managed_event


def _survey(request, slug, pk, need):
    event = managed_event(request, slug, need=need)
    survey = get_object_or_404(Survey.objects.select_related("event__venue"), pk=pk, event=event)
    survey.event = event  # keeps the caller's access (event.desk)
    return event, survey


def _editable(survey):
    return survey.status == Survey.Status.DRAFT and not survey.scheduled


@login_required
def surveys(request, slug):
    """The event's two surveys: create each from the standard set, see its
    state, open, close and read it."""
    event = managed_event(request, slug, need=VIEW)
    # One form per kind on the page, each with its own field ids.
    forms = {kind: CreateSurveyForm(initial={"kind": kind}, auto_id=f"{kind}-%s") for kind in Survey.Kind.values}
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = CreateSurveyForm(request.POST, auto_id=f"{kind}-%s" if kind in Survey.Kind.values else "id_%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = services.create_survey(
                    event, data["kind"], request.user, anonymous=data["anonymous"], months=data["months"] or 12
                )
            except services.SurveyError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"{survey.title}: created with the standard questions, as a draft.")
                return redirect("desk:survey", slug=event.slug, pk=survey.pk)
        elif kind in Survey.Kind.values:
            forms[kind] = form
        else:
            messages.error(request, "Choose the evaluation or the follow-up survey.")
    existing = {survey.kind: survey for survey in Survey.objects.filter(event=event).order_by("kind")}
    rows = [
        {"kind": kind, "label": label, "survey": existing.get(kind), "form": forms[kind]}
        for kind, label in Survey.Kind.choices
    ]
    return render(
        request,
        "desk/surveys.html",
        {"event": event, "rows": rows, "now": timezone.now()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def survey(request, slug, pk):
    """A survey's settings and questions: edited while it is a draft, frozen once
    it is scheduled or open."""
    event, survey = _survey(request, slug, pk, need=VIEW)
    settings_form = SurveySettingsForm(instance=survey)
    question_form = QuestionForm(instance=Question(survey=survey))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings":
                settings_form = SurveySettingsForm(request.POST, instance=survey)
                if settings_form.is_valid():
                    services.update_survey(survey, request.user, **settings_form.changes())
                    messages.success(request, "Survey settings saved.")
                    return redirect("desk:survey", slug=event.slug, pk=survey.pk)
            elif action == "question":
                question_form = QuestionForm(request.POST, instance=Question(survey=survey))
                if question_form.is_valid():
                    services.add_question(survey, request.user, **question_form.fields_for_service())
                    messages.success(request, "Question added.")
                    return redirect(f"{request.path}#questions")
            elif action == "standard":
                added = services.add_standard_questions(survey, request.user)
                messages.success(
                    request,
                    f"{added} standard question{'s' if added != 1 else ''} added."
                    if added
                    else "The survey has every standard question already.",
                )
                return redirect(f"{request.path}#questions")
            else:
                messages.error(request, "Choose what to save.")
        except services.SurveyError as error:
            messages.error(request, str(error))
        status = 400
        survey.refresh_from_db()
    context = {
        "event": event,
        "survey": survey,
        "questions": list(survey.questions.all()),
        "editable": _editable(survey) and event.desk.organise,
        "settings_form": settings_form,
        "question_form": question_form,
        "sessions": len(queries.sessions_of(event)),
    }
    return render(request, "desk/survey.html", context, status=status)


@login_required
def survey_question(request, slug, pk, question):
    event, survey = _survey(request, slug, pk, need=ORGANISE)
    question = get_object_or_404(Question, pk=question, survey=survey)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_question(question, request.user, **form.fields_for_service())
        except services.SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Question saved.")
        return redirect(f"{survey_url(event, survey)}#questions")
    return render(
        request,
        "desk/survey_question.html",
        {"event": event, "survey": survey, "question": question, "form": form, "editable": _editable(survey)},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def survey_question_action(request, slug, pk, question):
    """Move a question up or down, or remove it."""
    event, survey = _survey(request, slug, pk, need=ORGANISE)
    question = get_object_or_404(Question, pk=question, survey=survey)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            services.move_question(question, request.user, up=action == "up")
        elif action == "remove":
            services.remove_question(question, request.user)
            messages.success(request, f"Question removed: {question.text}")
        else:
            messages.error(request, "Choose to move the question up or down, or to remove it.")
    except services.SurveyError as error:
        messages.error(request, str(error))
    return redirect(f"{survey_url(event, survey)}#questions")


def survey_url(event, survey):
    return reverse("desk:survey", kwargs={"slug": event.slug, "pk": survey.pk})


STATUS_ACTIONS = {
    "open": "Open it now",
    "schedule": "Open it by itself at its opening time",
    "unschedule": "Stop the schedule",
    "close": "Close it",
}


@login_required
def survey_status(request, slug, pk):
    """Open, schedule, unschedule or close a survey, after a confirmation page
    saying what will happen."""
    event, survey = _survey(request, slug, pk, need=ORGANISE)
    action = request.POST.get("action") if request.method == "POST" else request.GET.get("action")
    if action not in STATUS_ACTIONS:
        messages.error(request, "Choose to open, schedule or close the survey.")
        return redirect(survey_url(event, survey))
    if request.method == "POST":
        try:
            if action == "open":
                invited = services.open_survey(survey, request.user)
                messages.success(request, f"The survey is open: invitations are going to {invited} people.")
            elif action == "schedule":
                services.schedule_survey(survey, request.user)
                messages.success(request, "The survey will open by itself at its opening time.")
            elif action == "unschedule":
                services.unschedule_survey(survey, request.user)
                messages.success(request, "The schedule is stopped: the survey is a draft you can edit.")
            else:
                services.close_survey(survey, request.user)
                messages.success(request, "The survey is closed: it takes no more answers and sends no more reminders.")
        except services.SurveyError as error:
            messages.error(request, str(error))
        return redirect(survey_url(event, survey))
    invited = queries.participants_of(survey).count()
    return render(
        request,
        "desk/survey_status.html",
        {"event": event, "survey": survey, "action": action, "label": STATUS_ACTIONS[action], "invited": invited},
    )


@login_required
def survey_results_page(request, slug, pk):
    event, survey = _survey(request, slug, pk, need=VIEW)
    return render(
        request, "desk/survey_results.html", {"event": event, "survey": survey, "results": survey_results(survey)}
    )


@login_required
def survey_answers_csv(request, slug, pk):
    """Every answer, one per row; for anonymous surveys without any column
    naming a person. Organisers only, as the other exports."""
    event, survey = _survey(request, slug, pk, need=ORGANISE)
    response = HttpResponse(export.answers_csv(survey), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-{survey.kind}-answers.csv"'
    return response
