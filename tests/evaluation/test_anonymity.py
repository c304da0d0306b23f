"""An anonymous survey keeps who answered and what was answered apart in the
database itself: dump every table of the evaluation and audit apps after two
people have answered differently, and nothing in it ties a person to an answer."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from evaluation.models import Answer, Invitation, Response

from .helpers import answer_url, form_data, invitation_of

pytestmark = pytest.mark.django_db


def dump(*apps):
    out = StringIO()
    call_command("dumpdata", *apps, stdout=out)
    return json.loads(out.getvalue())


def columns(model):
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_two_anonymous_answers_cannot_be_told_apart_from_who_gave_them(client, opened, participants):
    first, second = participants[0], participants[3]
    for registration, scale, text in ((first, 1, "Too long"), (second, 5, "Excellent speakers")):
        response = client.post(
            answer_url(invitation_of(opened, registration)), form_data(opened, scale=scale, text=text)
        )
        assert response.status_code == 302

    rows = dump("evaluation", "audit")
    of = {model: [row for row in rows if row["model"] == model] for model in {row["model"] for row in rows}}

    # Responses: no person, no time; apart from their random keys the two are identical.
    assert columns(Response) == {"id", "survey_id", "registration_id"}
    assert [row["fields"] for row in of["evaluation.response"]] == [{"survey": opened.pk, "registration": None}] * 2
    # Answers: the response, the question, the session and the content; nothing else.
    assert columns(Answer) == {"id", "response_id", "question_id", "item_uid", "scale", "choice", "text"}
    response_ids = {row["pk"] for row in of["evaluation.response"]}
    answer_ids = {row["pk"] for row in of["evaluation.answer"]}
    assert {row["fields"]["response"] for row in of["evaluation.answer"]} == response_ids
    # Invitations: who answered, without when.
    answered = [row["fields"] for row in of["evaluation.invitation"] if row["fields"]["answered"]]
    assert sorted(row["registration"] for row in answered) == sorted([first.pk, second.pk])
    assert all(row["answered_at"] is None for row in answered)
    # The audit log: nothing about answering, and no key or content of an answer anywhere in it.
    audit = json.dumps(of.get("audit.logentry", []))
    assert "survey.answered" not in audit
    for secret in [*response_ids, *answer_ids, "Too long", "Excellent speakers"]:
        assert str(secret) not in audit
    # Both answers are there, different, and the results show them without names.
    assert set(Answer.objects.exclude(text="").values_list("text", flat=True)) == {"Excellent speakers", "Too long"}
    client.force_login(opened.event.organisers.first())
    page = client.get(reverse("desk:survey_results", args=[opened.event.slug, opened.pk])).content.decode()
    assert "Too long" in page and first.user.display_name not in page and second.user.email not in page
    assert "who has or has not answered is not shown" in page


def test_a_survey_that_is_not_anonymous_keeps_who_answered_and_when(client, evaluation, participants, organiser):
    from evaluation import services

    services.update_survey(evaluation, organiser, anonymous=False)
    services.open_survey(evaluation, organiser)
    client.post(answer_url(invitation_of(evaluation, participants[0])), form_data(evaluation, scale=3))
    assert Response.objects.get().registration == participants[0]
    assert Invitation.objects.get(registration=participants[0]).answered_at is not None


def test_the_answers_csv_of_an_anonymous_survey_names_nobody(client, opened, participants, organiser):
    for registration, scale in ((participants[0], 1), (participants[1], 5)):
        client.post(
            answer_url(invitation_of(opened, registration)), form_data(opened, scale=scale, text="=HYPERLINK()")
        )
    client.force_login(organiser)
    response = client.get(reverse("desk:survey_answers_csv", args=[opened.event.slug, opened.pk]))
    text = response.content.decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert header == "Response,Question number,Question,Session,Answer"
    assert len(rows) == 2 * 6 and "'=HYPERLINK()" in text  # a formula is not run by a spreadsheet
    for registration in participants:
        assert registration.user.email not in text and registration.user.display_name not in text


def test_the_answers_csv_of_a_named_survey_says_who_answered(client, evaluation, participants, organiser):
    from evaluation import services

    services.update_survey(evaluation, organiser, anonymous=False)
    services.open_survey(evaluation, organiser)
    client.post(answer_url(invitation_of(evaluation, participants[0])), form_data(evaluation, scale=2))
    client.force_login(organiser)
    text = client.get(reverse("desk:survey_answers_csv", args=[evaluation.event.slug, evaluation.pk])).content.decode(
        "utf-8-sig"
    )
    assert text.splitlines()[0].endswith("Name,E-mail,Economy")
    assert text.count("Delegate 0,delegate0@example.org,Chile") == 4
