"""Organisers build a survey: the standard set, their own questions, frozen
once open, and every bad input answered with a clear message."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import LogEntry
from evaluation import services, standard
from evaluation.models import Question, Survey

pytestmark = pytest.mark.django_db


def test_creating_from_the_standard_set_gives_the_standard_questions_with_stable_keys(desk, ended):
    response = desk.post(reverse("desk:surveys", args=[ended.slug]), {"kind": "evaluation", "anonymous": "on"})
    survey = Survey.objects.get(event=ended)
    assert response.status_code == 302 and response["Location"] == reverse("desk:survey", args=[ended.slug, survey.pk])
    assert survey.anonymous and survey.status == Survey.Status.DRAFT and survey.opens_at == ended.ends_at
    assert list(survey.questions.values_list("standard_key", "kind")) == [
        ("objectives_met", "scale"), ("relevance", "scale"), ("speakers", "scale"),
        ("materials", "scale"), ("use", "text"), ("suggestions", "text"),
    ]  # fmt: skip
    page = desk.get(response["Location"]).content.decode()
    assert "How relevant was the event to your work?" in page and "Add a question of your own" in page
    assert LogEntry.objects.filter(action="survey.created", event=ended).exists()


def test_a_second_evaluation_of_the_same_event_is_refused_with_a_message(desk, ended, evaluation):
    response = desk.post(reverse("desk:surveys", args=[ended.slug]), {"kind": "evaluation"}, follow=True)
    assert "This event already has an evaluation." in response.content.decode()
    assert Survey.objects.filter(event=ended).count() == 1


def test_follow_up_opens_the_chosen_number_of_months_after_the_event(desk, ended):
    desk.post(reverse("desk:surveys", args=[ended.slug]), {"kind": "follow_up", "anonymous": "on", "months": "6"})
    survey = Survey.objects.get(event=ended, kind=Survey.Kind.FOLLOW_UP)
    local_end = ended.ends_at.astimezone(ended.tz)
    opens = survey.opens_at.astimezone(ended.tz)
    assert (opens.year * 12 + opens.month) - (local_end.year * 12 + local_end.month) == 6
    assert survey.follow_up_months == 6
    assert [q.standard_key for q in survey.questions.all()] == [row["standard_key"] for row in standard.FOLLOW_UP]


def test_organisers_add_reorder_and_remove_their_own_questions_while_a_draft(desk, ended, evaluation):
    url = reverse("desk:survey", args=[ended.slug, evaluation.pk])
    desk.post(
        url,
        {"action": "question", "kind": "choice", "text": "How did you attend?", "choices": "In person\n\nOnline\n"},
    )
    desk.post(url, {"action": "question", "kind": "scale", "text": "The session's pace", "per_session": "on"})
    choice, per_session = evaluation.questions.order_by("-position")[1], evaluation.questions.order_by("-position")[0]
    assert choice.choices == ["In person", "Online"] and per_session.per_session
    desk.post(
        reverse("desk:survey_question_action", args=[ended.slug, evaluation.pk, per_session.pk]), {"action": "up"}
    )
    texts = list(evaluation.questions.values_list("text", flat=True))
    assert texts[-2:] == ["The session's pace", "How did you attend?"]
    desk.post(reverse("desk:survey_question_action", args=[ended.slug, evaluation.pk, choice.pk]), {"action": "remove"})
    assert not evaluation.questions.filter(pk=choice.pk).exists()
    desk.post(
        reverse("desk:survey_question", args=[ended.slug, evaluation.pk, per_session.pk]),
        {"kind": "scale", "text": "The pace of the session", "per_session": "on", "required": "on"},
    )
    per_session.refresh_from_db()
    assert per_session.text == "The pace of the session" and per_session.required


def test_removed_standard_questions_come_back_with_add_standard(desk, ended, evaluation):
    evaluation.questions.filter(standard_key="speakers").delete()
    response = desk.post(reverse("desk:survey", args=[ended.slug, evaluation.pk]), {"action": "standard"}, follow=True)
    assert "1 standard question added." in response.content.decode()
    assert evaluation.questions.filter(standard_key="speakers").count() == 1


def test_an_open_surveys_questions_are_frozen_and_the_page_says_so(desk, ended, opened):
    question = opened.questions.first()
    url = reverse("desk:survey", args=[ended.slug, opened.pk])
    page = desk.get(url).content.decode()
    assert "its questions are frozen" in page and "Add a question of your own" not in page
    response = desk.post(url, {"action": "question", "kind": "text", "text": "Late addition"})
    assert response.status_code == 400 and "its questions are frozen" in response.content.decode()
    response = desk.post(
        reverse("desk:survey_question_action", args=[ended.slug, opened.pk, question.pk]),
        {"action": "remove"},
        follow=True,
    )
    assert "its questions are frozen" in response.content.decode()
    response = desk.post(
        reverse("desk:survey_question", args=[ended.slug, opened.pk, question.pk]), {"kind": "text", "text": "Changed"}
    )
    question.refresh_from_db()
    assert question.text != "Changed"
    assert opened.questions.count() == len(standard.STANDARD)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "choice", "text": "Format?", "choices": "Only one"}, "needs at least two options, one per line"),
        ({"kind": "choice", "text": "Format?", "choices": "A\nA"}, "each once"),
        ({"kind": "scale", "text": ""}, "Write the question."),
        ({"kind": "poll", "text": "What?"}, "Choose scale, one choice or free text."),
        ({"kind": "text", "text": "x" * 301}, "at most 300 characters"),
    ],
)
def test_bad_question_input_gets_a_clear_message(desk, ended, evaluation, data, message):
    before = evaluation.questions.count()
    response = desk.post(reverse("desk:survey", args=[ended.slug, evaluation.pk]), {"action": "question", **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert evaluation.questions.count() == before


def _settings(survey, **changes):
    tz = survey.event.tz
    data = {
        "action": "settings",
        "title": survey.title,
        "introduction": "",
        "anonymous": "on",
        "opens_at": survey.opens_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": survey.closes_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M"),
        "reminder_days": "7, 14",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reminder_days": "soon"}, "Write reminder days like “7, 14”"),
        ({"reminder_days": "3, 7, 14"}, "At most 2 reminders"),
        ({"reminder_days": "40"}, "Each reminder must come before the survey closes."),
        ({"closes_at": "2000-01-01T09:00"}, "The survey must close after it opens."),
        ({"opens_at": "not a date"}, "Enter a date and time"),
        ({"title": ""}, "This field is required."),
    ],
)
def test_bad_settings_get_a_clear_message(desk, ended, evaluation, changes, message):
    response = desk.post(reverse("desk:survey", args=[ended.slug, evaluation.pk]), _settings(evaluation, **changes))
    assert response.status_code == 400 and message in response.content.decode()


def test_an_evaluation_cannot_be_set_to_open_before_the_event_ends(desk, ended, evaluation):
    early = (ended.ends_at - timedelta(hours=2)).astimezone(ended.tz).strftime("%Y-%m-%dT%H:%M")
    response = desk.post(
        reverse("desk:survey", args=[ended.slug, evaluation.pk]), _settings(evaluation, opens_at=early)
    )
    assert (
        response.status_code == 400
        and "An evaluation opens only after the event has ended." in response.content.decode()
    )


def test_settings_are_saved_in_the_venues_zone(desk, ended, evaluation):
    response = desk.post(
        reverse("desk:survey", args=[ended.slug, evaluation.pk]),
        _settings(evaluation, title="Your views", reminder_days="5", anonymous=""),
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.title == "Your views" and evaluation.reminder_days == [5] and not evaluation.anonymous


def test_bad_follow_up_months_get_a_clear_message(desk, ended):
    response = desk.post(reverse("desk:surveys", args=[ended.slug]), {"kind": "follow_up", "months": "0"})
    assert response.status_code == 400 and "at least 1 month after the event" in response.content.decode()
    assert not Survey.objects.filter(event=ended).exists()


def test_a_viewer_reads_the_survey_without_controls(client, ended, evaluation):
    from events.models import EventRole

    from ..factories import make_user

    viewer = make_user("viewer@example.org")
    EventRole.objects.create(event=ended, user=viewer, role=EventRole.Role.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("desk:survey", args=[ended.slug, evaluation.pk])).content.decode()
    assert "How relevant was the event to your work?" in page
    assert "Add a question of your own" not in page and "Open it now" not in page


def test_choice_questions_need_options_in_the_service_too(ended, evaluation, organiser):
    with pytest.raises(services.SurveyError, match="at least two options"):
        services.add_question(evaluation, organiser, kind=Question.Kind.CHOICE, text="Which?", choices=["One"])
