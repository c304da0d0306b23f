"""Answering a survey in tests as a participant does: through the form."""

from django.urls import reverse

from evaluation import tokens
from evaluation.models import Invitation, Question
from evaluation.queries import sessions_of


def answer_url(invitation):
    return reverse("evaluation:answer", args=[tokens.token_for(invitation)])


def form_data(survey, scale=None, text="", choice=None):
    """A complete answer: ``scale`` (a number, or a dict question text ->
    number) for every scale question, ``text`` for every text question."""
    data = {}
    sessions = sessions_of(survey.event)
    for question in survey.questions.all():
        names = [f"q{question.pk}-{s.uid.hex}" for s in sessions] if question.per_session else [f"q{question.pk}"]
        for name in names:
            if question.kind == Question.Kind.SCALE and scale is not None:
                data[name] = str(scale.get(question.text, 3) if isinstance(scale, dict) else scale)
            elif question.kind == Question.Kind.CHOICE and choice is not None:
                data[name] = choice
            elif question.kind == Question.Kind.TEXT and text:
                data[name] = text
    return data


def invitation_of(survey, registration):
    return Invitation.objects.get(survey=survey, registration=registration)
