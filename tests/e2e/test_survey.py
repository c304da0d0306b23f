"""A participant answers the evaluation on a phone with the keyboard alone,
from the personal link of the invitation mail (no sign-in): the page says it
is anonymous, every rating is a radio group reached with Tab and chosen with
the arrow keys, and the answers arrive. Screenshotted and axe-checked; no
sideways scrolling at 320 px. The organiser's survey pages are screenshotted
at 390 and 1366 px with the same checks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation import services, tokens
from evaluation.models import Answer, Invitation, Response, Survey
from events import services as event_services
from registrations.models import Registration

from ..factories import add_item, make_event, make_user, make_venue
from .test_desk_layout import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
TOO_WIDE = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", value: el.value || ""};
}"""


@pytest.fixture
def survey_world(db):
    organiser = make_user("organiser@example.org", full_name="Ora Organiser")
    now = timezone.now().replace(second=0, microsecond=0)
    event = make_event(
        "design-workshop-penang",
        title="Industrial Design Workshop, Penang",
        venue=make_venue("Asia/Kuala_Lumpur", "Penang"),
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=1),
        organisers=[organiser],
    )
    start = event.starts_at.astimezone(event.tz).replace(tzinfo=None)
    add_item(event, "Design protection across APEC economies", start, kind="presentation")
    add_item(event, "Coffee break", start + timedelta(minutes=30), kind="break")
    add_item(event, "Panel: examining industrial designs", start + timedelta(hours=1), kind="panel")
    event_services.publish_agenda(event, actor=organiser, note="Final")
    event.refresh_from_db()
    people = [make_user(f"delegate{n}@example.org", full_name=f"Delegate {n}", economy="MY") for n in range(3)]
    registrations = [
        Registration.objects.create(event=event, user=user, status="attended", economy="MY", queued_at=now)
        for user in people
    ]
    survey = services.create_survey(event, Survey.Kind.EVALUATION, organiser)
    services.add_question(survey, organiser, kind="scale", text="Quality of the session", per_session=True)
    services.add_question(survey, organiser, kind="choice", text="How did you attend?", choices=["In person", "Online"])
    services.open_survey(survey, organiser)
    invitation = Invitation.objects.get(survey=survey, registration=registrations[0])
    return {"organiser": organiser, "event": event, "survey": survey, "invitation": invitation}


def test_a_participant_answers_the_evaluation_by_keyboard_on_a_phone(live_server, page, steps, survey_world):
    survey = survey_world["survey"]
    url = f"{live_server.url}/surveys/{tokens.token_for(survey_world['invitation'])}/"
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the survey form scrolls sideways at 320 px"
    steps.record("form-320px")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    assert page.get_by_text("This survey is anonymous.").is_visible()
    assert page.locator("fieldset legend", has_text="Quality of the session").count() == 2  # two sessions, no break
    steps.record("form-390px")

    # From the top of the page with Tab only, up to the first rating.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)["type"] == "radio":
            break
    answered = []
    for _ in range(60):
        focused = page.evaluate(FOCUSED)
        if focused["type"] == "radio":
            # Space picks the first option, each arrow the next: 1 → 4 for a rating.
            page.keyboard.press("Space")
            steps_right = 3 if focused["value"] == "1" else 1
            for _ in range(steps_right):
                page.keyboard.press("ArrowRight")
            answered.append(page.evaluate(FOCUSED)["value"])
            page.keyboard.press("Tab")
        elif focused["tag"] == "textarea":
            page.keyboard.type("Train our examiners on the new guidelines.")
            page.keyboard.press("Tab")
        elif focused["tag"] == "button":
            steps.record("filled-in")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
        else:
            page.keyboard.press("Tab")
    assert page.get_by_role("heading", name="Thank you").is_visible()
    steps.record("thanks")

    assert answered.count("4") == 6 and answered.count("Online") == 1  # four standard ratings, two sessions
    response = Response.objects.get(survey=survey)
    assert response.registration is None
    assert (
        sorted(Answer.objects.filter(response=response, scale__isnull=False).values_list("scale", flat=True)) == [4] * 6
    )
    assert Answer.objects.get(response=response, choice__gt="").choice == "Online"
    assert Answer.objects.filter(response=response, text="Train our examiners on the new guidelines.").count() == 2

    page.goto(url)
    assert page.get_by_role("heading", name="You have already answered").is_visible()
    steps.record("already-answered")


@pytest.mark.parametrize("width", [390, 1366])
def test_the_desk_survey_pages_read_well_at_phone_and_laptop_width(live_server, page, steps, survey_world, width):
    event, survey = survey_world["event"], survey_world["survey"]
    questions = list(survey.questions.filter(per_session=False))
    services.submit(
        survey_world["invitation"],
        [(q, None, {"scale": "4", "choice": "Online", "text": "Clear and practical"}[q.kind]) for q in questions],
    )
    follow_up = services.create_follow_up(event, survey_world["organiser"])
    sign_in(page, live_server.url, survey_world["organiser"])
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in (
        ("surveys", f"/desk/events/{event.slug}/surveys/"),
        ("survey", f"/desk/events/{event.slug}/surveys/{survey.pk}/"),
        ("results", f"/desk/events/{event.slug}/surveys/{survey.pk}/results/"),
        ("close", f"/desk/events/{event.slug}/surveys/{survey.pk}/status/?action=close"),
        ("follow-up-editor", f"/desk/events/{event.slug}/surveys/{follow_up.pk}/"),
    ):
        page.goto(live_server.url + path)
        steps.record(f"{name}-{width}px")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways at {width} px: {page.evaluate(TOO_WIDE)}"
    page.goto(f"{live_server.url}/desk/events/{event.slug}/surveys/{survey.pk}/results/")
    assert page.get_by_text("Response rate").is_visible()
