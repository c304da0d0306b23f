"""The organiser's questions in a real browser: a participant registers at
390 px by keyboard alone, answering a choice and a date question; a question
for speakers only is hidden while "delegate" is chosen (static/js/
question-types.js) and shown for a speaker; axe finds nothing serious; no
sideways scrolling at 320 px; the desk's questions page at 390 and 1366 px.
Screenshots in test-artifacts/e2e/test_the_register_form_*/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from questions import services
from questions.models import Answer, Question
from registrations.models import Registration

from ..factories import make_event, make_user
from .test_desk_layout import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_register_form_asks_the_events_questions_and_is_answered_by_keyboard(page, steps, live_server):
    organiser = make_user("ora@example.org", full_name="Ora Organiser")
    event = make_event(
        "design-workshop", title="Industrial Design Workshop", starts_at=timezone.now() + timedelta(days=30),
        organisers=[organiser],
    )  # fmt: skip
    session = services.add_question(
        event, kind=Question.Kind.CHOICE, label="Breakout session", choices=["Design law", "Examination practice"],
        required=True, help_text="You can change it at the desk.", actor=organiser,
    )  # fmt: skip
    arrival = services.add_question(
        event, kind=Question.Kind.DATE, label="Arrival date", required=True, actor=organiser
    )
    services.add_question(
        event, kind=Question.Kind.LONG_TEXT, label="Your talk's title", participation_types=["speaker"],
        actor=organiser,
    )  # fmt: skip
    user = make_user("tama@example.org", full_name="Tama Ngata")
    sign_in(page, live_server.url, user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/events/{event.slug}/register/")

    talk = page.get_by_label(re.compile("^Your talk's title"))
    expect(talk).to_be_hidden()  # delegate is chosen
    steps.record("register-390")
    page.get_by_role("radio", name="Speaker", exact=True).check()
    expect(talk).to_be_visible()
    page.get_by_role("radio", name="Member-economy delegate").check()
    expect(talk).to_be_hidden()

    # Sent without answers: the required questions say so.
    page.get_by_role("checkbox", name=re.compile("^I agree")).check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Please correct the fields marked below.")
    expect(page.locator(".field-error")).to_have_count(2)
    expect(page.locator(".field-error").first).to_contain_text("Please answer this question.")
    steps.record("missing-answers-390")

    # By keyboard: the choice's first radio, an arrow to the second; the date typed.
    page.get_by_role("radio", name="Design law").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Examination practice")).to_be_checked()
    page.get_by_label(re.compile("^Arrival date")).focus()
    # The same day and month: the field reads either order, as the browser locale has it.
    page.keyboard.type("03032031")
    page.get_by_role("checkbox", name=re.compile("^I agree")).focus()
    if not page.get_by_role("checkbox", name=re.compile("^I agree")).is_checked():
        page.keyboard.press("Space")
    page.get_by_role("button", name="Register", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My registrations")

    registration = Registration.objects.get(user=user)
    answers = dict(Answer.objects.filter(registration=registration).values_list("question_id", "value"))
    assert answers == {session.pk: "Examination practice", arrival.pk: "2031-03-03"}
    page.goto(f"{live_server.url}/registrations/{registration.uid}/")
    expect(page.get_by_role("region", name="Your answers")).to_contain_text("Examination practice")
    steps.record("answers-on-own-page-390")

    page.set_viewport_size({"width": 320, "height": 800})
    for path in (f"/events/{event.slug}/register/", f"/registrations/{registration.uid}/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} scrolls sideways at 320 px"

    sign_in(page, live_server.url, organiser)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/desk/events/{event.slug}/questions/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Register form questions")
        steps.record(f"desk-questions-{width}")
    page.goto(f"{live_server.url}/desk/events/{event.slug}/registrations/{registration.uid}/")
    expect(page.get_by_role("region", name="Answers to the event's questions")).to_contain_text("2031-03-03")
    steps.record("desk-registration-1366")


def test_a_follow_up_form_is_filled_in_by_the_seated_participant_and_read_on_the_desk(page, steps, live_server):
    organiser = make_user("ora@example.org", full_name="Ora Organiser")
    event = make_event(
        "design-workshop", title="Industrial Design Workshop", starts_at=timezone.now() + timedelta(days=30),
        organisers=[organiser],
    )  # fmt: skip
    form = services.save_followup_form(
        event, title="Arrival details", due_on=(timezone.now() + timedelta(days=20)).date(),
        reminder_days_before=[7, 1], actor=organiser,
    )  # fmt: skip
    for kind, label in ((Question.Kind.SHORT_TEXT, "Flight number"), (Question.Kind.YES_NO, "Airport pick-up?")):
        services.add_question(event, form=form, kind=kind, label=label, required=True, actor=organiser)
    user = make_user("tama@example.org", full_name="Tama Ngata")
    registration = Registration.objects.create(
        event=event, user=user, status=Registration.Status.CONFIRMED, economy="NZ", queued_at=timezone.now()
    )
    sign_in(page, live_server.url, user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/registrations/{registration.uid}/")
    page.get_by_role("link", name="Arrival details").click()
    steps.record("follow-up-form-390")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.get_by_label(re.compile("^Flight number")).fill("NZ 701 landing 06:05")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("region", name="Your answers")).to_contain_text("Arrival details: completed")

    sign_in(page, live_server.url, organiser)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/desk/events/{event.slug}/follow-up-forms/{form.pk}/")
        expect(page.get_by_role("region", name="Who completed it")).to_contain_text("NZ 701 landing 06:05")
        steps.record(f"desk-follow-up-form-{width}")
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (
        f"/desk/events/{event.slug}/follow-up-forms/",
        f"/desk/events/{event.slug}/follow-up-forms/{form.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} scrolls sideways at 320 px"
