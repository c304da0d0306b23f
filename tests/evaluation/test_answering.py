"""A participant answers through the personal link: what the form says and
asks, what bad input gets, one response per person, and links that are not ours."""

import pytest
from django.urls import reverse

from evaluation import services, tokens
from evaluation.models import Answer, Invitation, Question, Response, Survey

from .helpers import answer_url, form_data, invitation_of

pytestmark = pytest.mark.django_db


def test_the_form_says_it_is_anonymous_and_asks_per_session_questions_for_each_session_but_breaks(
    client, evaluation, participants, organiser
):
    services.add_question(evaluation, organiser, kind="scale", text="Quality of the session", per_session=True)
    services.open_survey(evaluation, organiser)
    page = client.get(answer_url(invitation_of(evaluation, participants[0]))).content.decode()
    assert page.index("This survey is anonymous.") < page.index("How well did the event meet")
    assert "Your answers are not linked to you" in page
    assert "Session: Design protection in APEC economies" in page and "Session: Panel: examination practice" in page
    assert "Coffee break" not in page and "Lunch" not in page
    # Ratings are radio groups, each in a fieldset named by its legend, 1 = poor … 5 = excellent.
    assert page.count("<legend>Quality of the session") == 2
    assert "1 poor" in page and "5 excellent" in page


def test_a_survey_that_is_not_anonymous_says_so(client, evaluation, participants, organiser):
    services.update_survey(evaluation, organiser, anonymous=False)
    services.open_survey(evaluation, organiser)
    page = client.get(answer_url(invitation_of(evaluation, participants[0]))).content.decode()
    assert "This survey is not anonymous." in page and "see your answers with your name" in page


def test_answering_thanks_and_coming_back_says_already_answered(client, opened, participants):
    invitation = invitation_of(opened, participants[0])
    url = answer_url(invitation)
    response = client.post(url, form_data(opened, scale=5, text="Train examiners"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluation:thanks", args=[tokens.token_for(invitation)]
    )
    assert "Your answers to" in client.get(response["Location"]).content.decode()
    again = client.get(url).content.decode()
    assert "You have already answered" in again and "Send my answers" not in again
    response = client.post(url, form_data(opened, scale=1))
    assert "You have already answered" in response.content.decode()
    assert Response.objects.filter(survey=opened).count() == 1
    assert sorted(Answer.objects.filter(scale__isnull=False).values_list("scale", flat=True)) == [5, 5, 5, 5]


def test_a_second_submission_is_refused_by_the_service_with_a_clear_message(opened, participants):
    invitation = invitation_of(opened, participants[0])
    services.submit(invitation, [])
    with pytest.raises(services.AlreadyAnswered, match="You have already answered this survey"):
        services.submit(invitation, [])
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing", "Please answer “How well did the event meet its stated objectives?”: it is required."),
        ("seven", "Choose a rating from 1 to 5 for “How relevant was the event to your work?”."),
        ("long", "Your answer to “Suggestions for future events” is too long: at most 4000 characters"),
        ("choice", "Choose one of the options given for “How did you attend?”."),
    ],
)
def test_bad_answers_get_a_clear_message_and_nothing_is_recorded(
    client, evaluation, participants, organiser, change, message
):
    services.add_question(
        evaluation, organiser, kind="choice", text="How did you attend?", choices=["In person", "Online"]
    )
    services.open_survey(evaluation, organiser)
    data = form_data(evaluation, scale=4, choice="Online")
    by_text = {question.text: f"q{question.pk}" for question in evaluation.questions.all()}
    if change == "missing":
        del data[by_text["How well did the event meet its stated objectives?"]]
    elif change == "seven":
        data[by_text["How relevant was the event to your work?"]] = "7"
    elif change == "long":
        data[by_text["Suggestions for future events"]] = "x" * 4001
    else:
        data[by_text["How did you attend?"]] = "By carrier pigeon"
    response = client.post(answer_url(invitation_of(evaluation, participants[0])), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Response.objects.exists() and not Invitation.objects.filter(answered=True).exists()


def test_a_tampered_token_or_one_naming_another_survey_is_not_found(client, opened, participants, ended, organiser):
    invitation = invitation_of(opened, participants[0])
    token = tokens.token_for(invitation)
    assert client.get(reverse("evaluation:answer", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("evaluation:answer", args=["1.1"])).status_code == 404
    follow_up = services.create_follow_up(ended, organiser)
    # A signed value naming this invitation under another survey: no such pair.
    forged = tokens.signing.Signer(salt=tokens.SALT).sign(f"{follow_up.pk}.{invitation.pk}")
    assert client.get(reverse("evaluation:answer", args=[forged])).status_code == 404
    assert client.post(reverse("evaluation:answer", args=[token[:-2] + "xx"]), {}).status_code == 404


def test_a_draft_surveys_link_says_it_is_not_open_yet(client, evaluation, participants):
    invitation = Invitation.objects.create(survey=evaluation, registration=participants[0])
    page = client.get(answer_url(invitation)).content.decode()
    assert "This survey is not open yet" in page and "Send my answers" not in page


def test_a_closed_survey_refuses_answers(client, opened, participants, organiser):
    url = answer_url(invitation_of(opened, participants[0]))
    services.close_survey(opened, organiser)
    response = client.post(url, form_data(opened, scale=3))
    assert "This survey is closed" in response.content.decode()
    assert not Response.objects.exists()


def test_the_service_checks_answers_whoever_calls_it(opened, participants):
    invitation = invitation_of(opened, participants[0])
    scale = opened.questions.filter(kind=Question.Kind.SCALE).first()
    with pytest.raises(services.SurveyError, match="A rating is a number from 1 to 5"):
        services.submit(invitation, [(scale, None, "9")])
    other = Survey.objects.create(
        event=opened.event, kind=Survey.Kind.FOLLOW_UP, title="x", opens_at=opened.opens_at, closes_at=opened.closes_at
    )
    foreign = Question.objects.create(survey=other, kind=Question.Kind.TEXT, text="Elsewhere")
    with pytest.raises(services.SurveyError, match="another survey"):
        services.submit(invitation, [(foreign, None, "hello")])
    assert not Response.objects.exists()
