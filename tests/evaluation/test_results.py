"""Results: counts, means and distributions equal those counted here from the
answers given, who has not answered (only when not anonymous), free text, and
a fixed number of queries whatever the number of people."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import Invitation, Survey
from evaluation.queries import sessions_of
from evaluation.results import survey_results
from registrations.models import Registration

from ..factories import make_user
from .helpers import form_data, invitation_of

pytestmark = pytest.mark.django_db

RELEVANCE = "How relevant was the event to your work?"


@pytest.fixture
def named(evaluation, participants, organiser):
    """A survey that is not anonymous, with a choice and a per-session question."""
    services.update_survey(evaluation, organiser, anonymous=False)
    services.add_question(
        evaluation, organiser, kind="choice", text="How did you attend?", choices=["In person", "Online"]
    )
    services.add_question(evaluation, organiser, kind="scale", text="Quality of the session", per_session=True)
    services.open_survey(evaluation, organiser)
    evaluation.refresh_from_db()
    return evaluation


def submit(survey, registration, data):
    from evaluation.forms import AnswerForm

    form = AnswerForm(data, questions=list(survey.questions.all()), sessions=sessions_of(survey.event))
    assert form.is_valid(), form.errors
    services.submit(invitation_of(survey, registration), form.answers())


def test_counts_means_and_who_has_not_answered_match_the_answers_given(named, participants):
    given = [(participants[0], 5, "In person"), (participants[1], 4, "Online"), (participants[2], 5, "In person")]
    for registration, relevance, choice in given:
        submit(
            named,
            registration,
            form_data(named, scale={RELEVANCE: relevance}, text=f"From {registration.pk}", choice=choice),
        )

    results = survey_results(named)
    assert (results["invited"], results["answered"], results["response_rate"]) == (4, 3, 75.0)
    assert results["not_answered"] == [{"name": "Delegate 3", "economy": "Chile", "email": "delegate3@example.org"}]
    questions = {question["text"]: question for question in results["questions"]}
    (relevance,) = questions[RELEVANCE]["parts"]
    values = [value for _, value, _ in given]
    assert relevance["n"] == len(values)
    assert relevance["mean"] == round(sum(values) / len(values), 2)
    assert {row["value"]: row["count"] for row in relevance["scale"]} == {v: values.count(v) for v in range(1, 6)}
    assert {row["value"]: row["percent"] for row in relevance["scale"]}[5] == 67
    (attend,) = questions["How did you attend?"]["parts"]
    assert {row["choice"]: row["count"] for row in attend["choices"]} == {"In person": 2, "Online": 1}
    sessions = questions["Quality of the session"]["parts"]
    assert [part["session"]["title"] for part in sessions] == [
        "Design protection in APEC economies",
        "Panel: examination practice",
    ]
    assert all(part["n"] == 3 and part["mean"] == 3.0 for part in sessions)  # form_data rates every other scale 3
    (suggestions,) = questions["Suggestions for future events"]["parts"]
    assert sorted(suggestions["texts"]) == sorted(f"From {r.pk}" for r, _, _ in given)


def test_the_results_page_shows_rate_distribution_and_who_has_not_answered(client, organiser, named, participants):
    submit(named, participants[0], form_data(named, scale=4, text="Good", choice="Online"))
    client.force_login(organiser)
    page = client.get(reverse("desk:survey_results", args=[named.event.slug, named.pk])).content.decode()
    assert "<dt>Response rate</dt><dd>25.0%</dd>" in page
    assert "Delegate 3" in page and "delegate2@example.org" in page and "Delegate 0" not in page
    assert '<meter min="0" max="100" value="100"' in page and "style=" not in page
    assert "Mean <strong>4.0</strong> of 5, from 1 answer" in page


def test_an_anonymous_survey_lists_nobody(opened, participants):
    results = survey_results(opened)
    assert results["not_answered"] is None and results["anonymous"] and results["invited"] == 4


def _more_people(event, count, survey):
    for n in range(count):
        user = make_user(f"extra{n}@example.org", full_name=f"Extra {n}")
        registration = Registration.objects.create(event=event, user=user, status="confirmed", queued_at=event.ends_at)
        Invitation.objects.create(survey=survey, registration=registration)


@pytest.mark.parametrize("extra", [0, 40])
def test_the_results_page_takes_a_fixed_number_of_queries(
    client, organiser, named, participants, extra, django_assert_max_num_queries
):
    _more_people(named.event, extra, named)
    for registration in participants[:3]:
        submit(named, registration, form_data(named, scale=2, text="Fine", choice="Online"))
    client.force_login(organiser)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("desk:survey_results", args=[named.event.slug, named.pk]))
    waiting = 4 + extra - 3
    assert f"{waiting} {'person' if waiting == 1 else 'people'} not answered" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 40])
def test_survey_results_takes_six_queries_at_any_size(named, participants, extra, django_assert_num_queries):
    _more_people(named.event, extra, named)
    submit(named, participants[0], form_data(named, scale=2, choice="Online"))
    survey = Survey.objects.select_related("event").get(pk=named.pk)
    with django_assert_num_queries(6):
        survey_results(survey)
