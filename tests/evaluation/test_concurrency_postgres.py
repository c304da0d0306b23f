"""One response per invitation, proven on PostgreSQL with two real
connections submitting at the same instant."""

import time

import pytest

from evaluation import services
from evaluation.models import Invitation, Response

from ..registrations.test_concurrency import run_concurrently
from .helpers import invitation_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_submissions_at_once_give_one_response_and_one_clear_refusal(opened, participants, monkeypatch):
    original = services._answer_rows

    def slow_answer_rows(survey, answers):
        # Widen the window between "not answered yet?" and "record it", so a
        # missing lock would let both through.
        time.sleep(0.3)
        return original(survey, answers)

    monkeypatch.setattr(services, "_answer_rows", slow_answer_rows)
    invitation = invitation_of(opened, participants[0])
    text = opened.questions.filter(kind="text").first()
    outcomes = run_concurrently(
        [
            lambda: services.submit(invitation, [(text, None, "First")]),
            lambda: services.submit(invitation, [(text, None, "Second")]),
        ]
    )
    assert sum(isinstance(outcome, Response) for outcome in outcomes) == 1
    (refusal,) = [outcome for outcome in outcomes if not isinstance(outcome, Response)]
    assert isinstance(refusal, services.AlreadyAnswered), refusal
    assert str(refusal) == "You have already answered this survey. Thank you!"
    assert Response.objects.filter(survey=opened).count() == 1
    assert Invitation.objects.get(pk=invitation.pk).answered
