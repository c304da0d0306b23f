"""The participant's side: the survey form behind the personal link of the
invitation mail. No sign-in: the signed token is the key."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import queries, services, tokens
from .forms import AnswerForm
from .models import Invitation, Survey


def _invitation(token):
    ids = tokens.ids_of(token)
    if ids is None:
        raise Http404("Not a survey link.")
    survey_id, invitation_id = ids
    return get_object_or_404(
        Invitation.objects.select_related("survey__event__venue", "registration__user"),
        pk=invitation_id,
        survey_id=survey_id,
    )


def _is_open(survey):
    return survey.status == Survey.Status.OPEN and survey.closes_at > timezone.now()


@never_cache
def answer(request, token):
    invitation = _invitation(token)
    survey = invitation.survey
    context = {"survey": survey, "event": survey.event, "invitation": invitation}
    if invitation.answered:
        return render(request, "evaluation/answered.html", context)
    if not _is_open(survey):
        return render(request, "evaluation/closed.html", context)
    sessions = queries.sessions_of(survey.event)
    form = AnswerForm(request.POST or None, questions=list(survey.questions.all()), sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(invitation, form.answers())
        except services.AlreadyAnswered:
            return render(request, "evaluation/answered.html", context)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect("evaluation:thanks", token=token)
    context["form"] = form
    return render(request, "evaluation/answer.html", context, status=400 if form.errors else 200)


@never_cache
def thanks(request, token):
    invitation = _invitation(token)
    context = {"survey": invitation.survey, "event": invitation.survey.event, "invitation": invitation}
    if not invitation.answered:
        return redirect("evaluation:answer", token=token)
    return render(request, "evaluation/thanks.html", context)
