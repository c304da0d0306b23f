"""Organisers change questions after registrations exist: answers are never
lost, a removed choice still shows (marked), a kind change is refused once
answered, and a removed question with answers is archived."""

import pytest

from audit.models import LogEntry
from questions import services
from questions.models import Answer, Question

from .conftest import ask, seat

pytestmark = pytest.mark.django_db
Kind = Question.Kind


@pytest.fixture
def answered(workshop, organiser):
    question = ask(workshop, Kind.CHOICE, "Breakout session", organiser, choices=["Design law", "Examination"])
    registration = seat(workshop, "tama@example.org")
    services.save_register_answers(registration, {question: "Examination"}, actor=None)
    return question, registration


def edit_page(desk, workshop, question, **data):
    return desk.post(f"/desk/events/{workshop.slug}/questions/{question.pk}/", data)


def test_label_help_required_and_types_change_and_the_answer_stays(desk, workshop, answered):
    question, registration = answered
    response = edit_page(
        desk, workshop, question, kind="choice", label="Afternoon breakout", help_text="Pick one.", required="on",
        choices="Design law\nExamination", participation_types=["delegate"],
    )  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.label, question.help_text, question.required) == ("Afternoon breakout", "Pick one.", True)
    assert Answer.objects.get(registration=registration).value == "Examination"
    entry = LogEntry.objects.get(action="question.changed")
    assert entry.actor == workshop.organisers.get()


def test_a_removed_choice_keeps_the_old_answer_marked_no_longer_offered(desk, workshop, answered):
    question, registration = answered
    edit_page(desk, workshop, question, kind="choice", label=question.label, choices="Design law\nEnforcement")
    question.refresh_from_db()
    assert question.choices == ["Design law", "Enforcement"]
    page = desk.get(f"/desk/events/{workshop.slug}/registrations/{registration.uid}/").content.decode()
    assert "Examination (no longer offered)" in page


def test_changing_the_kind_of_an_answered_question_is_refused_with_a_message(desk, workshop, answered):
    question, registration = answered
    response = edit_page(desk, workshop, question, kind="short_text", label="Breakout session")
    assert response.status_code == 400
    assert "This question has answers, so its kind cannot change." in response.content.decode()
    question.refresh_from_db()
    assert question.kind == Kind.CHOICE
    assert Answer.objects.get(registration=registration).value == "Examination"


def test_the_kind_of_an_unanswered_question_can_change(desk, workshop, organiser):
    question = ask(workshop, Kind.SHORT_TEXT, "Arrival", organiser)
    edit_page(desk, workshop, question, kind="date", label="Arrival date")
    question.refresh_from_db()
    assert question.kind == Kind.DATE


def test_removing_an_answered_question_archives_it_and_its_answers_still_show(desk, workshop, answered, organiser):
    question, registration = answered
    unanswered = ask(workshop, Kind.SHORT_TEXT, "Nickname", organiser)
    desk.post(f"/desk/events/{workshop.slug}/questions/{question.pk}/remove/")
    desk.post(f"/desk/events/{workshop.slug}/questions/{unanswered.pk}/remove/")
    question.refresh_from_db()
    assert question.archived_at is not None
    assert not Question.objects.filter(pk=unanswered.pk).exists()
    # No longer asked on the register form, but its answer is kept and shown.
    desk.force_login(registration.user)
    page = desk.get(f"/registrations/{registration.uid}/").content.decode()
    assert "Examination" in page
    desk.force_login(organiser)
    register = desk.get(f"/events/{workshop.slug}/register/").content.decode()
    assert "Breakout session" not in register
    assert set(LogEntry.objects.values_list("action", flat=True)) >= {"question.archived", "question.removed"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "choice", "label": "Session", "choices": "Only one"}, "Give at least two choices, one per line."),
        ({"kind": "choice", "label": "Session", "choices": "A\nA"}, "Each choice may appear only once."),
        ({"kind": "short_text", "label": "Name", "choices": "A\nB"}, "Only “One choice” and “Several choices”"),
        ({"kind": "poem", "label": "Name"}, "Choose one of the kinds of question listed."),
        ({"kind": "short_text", "label": ""}, "This field is required."),
        ({"kind": "short_text", "label": "Name", "participation_types": ["king"]}, "Choose among the participation"),
    ],
)
def test_a_bad_question_gets_a_clear_message_and_adds_nothing(desk, workshop, data, message):
    response = desk.post(f"/desk/events/{workshop.slug}/questions/add/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_questions_are_added_in_order_and_moved(desk, workshop):
    for label in ("First", "Second"):
        desk.post(f"/desk/events/{workshop.slug}/questions/add/", {"kind": "short_text", "label": label})
    second = Question.objects.get(label="Second")
    desk.post(f"/desk/events/{workshop.slug}/questions/{second.pk}/move/", {"direction": "up"})
    assert list(Question.objects.order_by("position").values_list("label", flat=True)) == ["Second", "First"]
    page = desk.get(f"/desk/events/{workshop.slug}/questions/").content.decode()
    assert page.index("Second") < page.index("First")
