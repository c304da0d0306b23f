"""The desk's question pages, the follow-up form's page and CSV, the
registrations export and the participant's page read in a fixed number of
queries, whatever the number of registrations and questions."""

import pytest

from questions import services
from questions.models import Question

from .conftest import ask, seat

pytestmark = pytest.mark.django_db


def world(workshop, organiser, people, questions):
    form = services.save_followup_form(
        workshop, title="Arrival", due_on=workshop.starts_at.date(), reminder_days_before=[7], actor=organiser
    )
    asked = [ask(workshop, Question.Kind.SHORT_TEXT, f"Question {n}", organiser) for n in range(questions)]
    on_form = [
        ask(workshop, Question.Kind.YES_NO, f"Form question {n}", organiser, form=form) for n in range(questions)
    ]
    registrations = [seat(workshop, f"p{n}@example.org", name=f"Person {n}") for n in range(people)]
    for registration in registrations:
        services.save_register_answers(registration, {q: f"answer {q.pk}" for q in asked}, actor=None)
        services.complete_form(form, registration, dict.fromkeys(on_form, True), actor=None)
    return form, registrations


@pytest.mark.parametrize(("people", "questions"), [(2, 2), (20, 8)])
def test_desk_pages_and_exports_read_in_fixed_numbers_of_queries(
    client, desk, workshop, organiser, django_assert_num_queries, people, questions
):
    form, registrations = world(workshop, organiser, people, questions)
    base = f"/desk/events/{workshop.slug}"
    with django_assert_num_queries(5):
        page = desk.get(f"{base}/questions/").content.decode()
    assert page.count("<li>") >= questions
    with django_assert_num_queries(10):
        page = desk.get(f"{base}/follow-up-forms/{form.pk}/").content.decode()
    assert page.count("<tr>") == people + 1
    with django_assert_num_queries(8):
        csv_text = desk.get(f"{base}/follow-up-forms/{form.pk}/answers.csv").content.decode()
    assert csv_text.count("\n") == people + 1
    with django_assert_num_queries(6):
        export = desk.get(f"{base}/registrations.csv").content.decode()
    assert export.count("answer ") == people * questions
    client.force_login(registrations[0].user)
    with django_assert_num_queries(10):
        page = client.get(f"/registrations/{registrations[0].uid}/").content.decode()
    assert page.count("<dt>Question") == questions
