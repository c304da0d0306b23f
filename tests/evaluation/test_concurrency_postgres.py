"""One response per invitation, proven on PostgreSQL with two real
connections submitting at the same instant."""

import time

import pytest
from django.db.models.query import QuerySet

from evaluation import services
from evaluation.models import Invitation, Response

from ..registrations.test_concurrency import run_concurrently
from .helpers import invitation_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def widen_the_window(monkeypatch):
    """Sleep between "not answered yet?" and "record it", so that a missing
    lock lets both submissions through."""
    original = services._answer_rows

    def slow_answer_rows(survey, answers):
        time.sleep(0.3)
        return original(survey, answers)

    monkeypatch.setattr(services, "_answer_rows", slow_answer_rows)


def submit_twice_at_once(survey, invitation):
    text = survey.questions.filter(kind="text").first()
    return run_concurrently(
        [
            lambda: services.submit(invitation, [(text, None, "First")]),
            lambda: services.submit(invitation, [(text, None, "Second")]),
        ]
    )


def test_without_the_lock_the_race_is_real(opened, participants, monkeypatch):
    widen_the_window(monkeypatch)
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **options: self)
    outcomes = submit_twice_at_once(opened, invitation_of(opened, participants[0]))
    assert [isinstance(outcome, Response) for outcome in outcomes] == [True, True]
    assert Response.objects.filter(survey=opened).count() == 2


def test_two_submissions_at_once_give_one_response_and_one_clear_refusal(opened, participants, monkeypatch):
    widen_the_window(monkeypatch)
    invitation = invitation_of(opened, participants[0])
    outcomes = submit_twice_at_once(opened, invitation)
    assert sum(isinstance(outcome, Response) for outcome in outcomes) == 1
    (refusal,) = [outcome for outcome in outcomes if not isinstance(outcome, Response)]
    assert isinstance(refusal, services.AlreadyAnswered), refusal
    assert str(refusal) == "You have already answered this survey. Thank you!"
    assert Response.objects.filter(survey=opened).count() == 1
    assert Invitation.objects.get(pk=invitation.pk).answered
