"""The organiser's questions on the register form: real fields for the
chosen participation type, each kind checked with a clear message, the
answers kept with the registration and shown wherever it is read."""

import csv
import io

import pytest
from django.core import mail

from audit.models import LogEntry
from questions.models import Answer, Question
from registrations.models import Registration

from ..factories import make_user
from .conftest import ask, form_data

pytestmark = pytest.mark.django_db
Kind = Question.Kind


@pytest.fixture
def participant(client):
    user = make_user("tama@example.org", full_name="Tama Ngata")
    client.force_login(user)
    return user


@pytest.fixture
def asked(workshop, organiser):
    """One question of each kind; the arrival date required of delegates only."""
    return {
        "name_tag": ask(workshop, Kind.SHORT_TEXT, "Name on your badge", organiser),
        "topics": ask(workshop, Kind.LONG_TEXT, "Topics you want covered", organiser, help_text="A few lines."),
        "session": ask(
            workshop, Kind.CHOICE, "Breakout session", organiser, choices=["Design law", "Examination"], required=True
        ),
        "meals": ask(workshop, Kind.MULTIPLE_CHOICE, "Meals you join", organiser, choices=["Lunch", "Dinner"]),
        "first": ask(workshop, Kind.YES_NO, "First IPEG meeting?", organiser),
        "arrival": ask(workshop, Kind.DATE, "Arrival date", organiser, required=True, participation_types=["delegate"]),
    }


def post(client, workshop, **fields):
    return client.post(f"/events/{workshop.slug}/register/", form_data(**fields))


def name(question):
    return f"question_{question.pk}"


def test_questions_appear_as_labelled_fields_with_help_and_whom_they_are_for(client, workshop, participant, asked):
    page = client.get(f"/events/{workshop.slug}/register/").content.decode()
    assert "Breakout session" in page and "A few lines." in page
    assert "Arrival date (for Member-economy delegate only)" in page
    assert f'name="{name(asked["arrival"])}"' in page and 'type="date"' in page
    assert page.count(f'name="{name(asked["meals"])}"') == 2  # a checkbox per choice


def test_every_kind_is_saved_with_the_registration_and_shown_on_the_participants_page(
    client, workshop, participant, asked
):
    response = post(
        client, workshop,
        **{
            name(asked["name_tag"]): "Tama", name(asked["topics"]): "Design term", name(asked["session"]): "Examination",
            name(asked["meals"]): ["Lunch", "Dinner"], name(asked["first"]): "yes", name(asked["arrival"]): "2031-03-02",
        },
    )  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get(user=participant)
    values = {a.question_id: a.value for a in Answer.objects.filter(registration=registration)}
    assert values == {
        asked["name_tag"].pk: "Tama",
        asked["topics"].pk: "Design term",
        asked["session"].pk: "Examination",
        asked["meals"].pk: ["Lunch", "Dinner"],
        asked["first"].pk: True,
        asked["arrival"].pk: "2031-03-02",
    }
    page = client.get(f"/registrations/{registration.uid}/").content.decode()
    assert "Your answers" in page and "Lunch, Dinner" in page and "2031-03-02" in page and "Yes" in page
    assert LogEntry.objects.filter(action="question.answered", object_id=str(registration.pk)).exists()


@pytest.mark.parametrize(
    ("which", "value", "message"),
    [
        ("arrival", "3 March", "Enter a date as YYYY-MM-DD, for example 2026-03-03."),
        ("arrival", "2031-02-30", "Enter a date as YYYY-MM-DD, for example 2026-03-03."),
        ("session", "Karaoke", "Choose one of the options offered."),
        ("meals", "Breakfast", "Choose only among the options offered."),
        ("first", "maybe", "Choose yes or no."),
        ("name_tag", "x" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_bad_answers_get_a_clear_message_and_nothing_is_registered(
    client, workshop, participant, asked, which, value, message
):
    fields = {name(asked["session"]): "Design law", name(asked["arrival"]): "2031-03-02", name(asked[which]): value}
    response = post(client, workshop, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.filter(user=participant).exists()


def test_a_required_question_is_required_only_of_the_types_it_is_asked_of(client, workshop, participant, asked):
    response = post(client, workshop, **{name(asked["session"]): "Design law"})
    assert "Please answer this question." in response.content.decode()
    assert not Registration.objects.exists()

    # A speaker is not asked the delegates' arrival date: whatever was typed there is not kept.
    response = post(
        client, workshop, participation_type="speaker",
        **{name(asked["session"]): "Design law", name(asked["arrival"]): "not a date"},
    )  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get(user=participant)
    assert list(Answer.objects.filter(registration=registration).values_list("question__label", "value")) == [
        ("Breakout session", "Design law")
    ]


def test_a_refused_registration_keeps_no_answers(client, workshop, participant, asked, monkeypatch):
    from registrations import services

    def refuse(*args, **kwargs):
        raise services.RegistrationRefused(["Registration is closed for you."])

    monkeypatch.setattr(services, "register", refuse)
    response = post(client, workshop, **{name(asked["session"]): "Design law", name(asked["arrival"]): "2031-03-02"})
    assert "Registration is closed for you." in response.content.decode()
    assert not Answer.objects.exists()
    assert not mail.outbox


def test_answers_show_on_the_desk_registration_page_and_as_export_columns(client, workshop, participant, asked):
    client.force_login(participant)
    post(client, workshop, **{name(asked["session"]): "Design law", name(asked["arrival"]): "2031-03-02"})
    registration = Registration.objects.get(user=participant)
    organiser = workshop.organisers.get()
    client.force_login(organiser)
    page = client.get(f"/desk/events/{workshop.slug}/registrations/{registration.uid}/").content.decode()
    assert "Answers to the event's questions" in page and "Design law" in page
    export = client.get(f"/desk/events/{workshop.slug}/registrations.csv").content.decode().lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(export)))
    assert header[-6:] == [q.label for q in Question.objects.order_by("position")]
    assert dict(zip(header, row, strict=True))["Breakout session"] == "Design law"
    assert dict(zip(header, row, strict=True))["Arrival date"] == "2031-03-02"
