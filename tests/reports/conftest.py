import random
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from attendance.models import AttendanceMark
from evaluation.models import Answer, Question, Response, Survey
from events import services as event_services
from events.economies import Economy
from events.models import EventRole
from events.participation import ParticipationType
from registrations.models import Funding, ParticipantProfile, ParticipationMode, Registration, Sex

# The browser test's fixtures (tests/reports/test_report_browser.py).
from ..e2e.conftest import axe_script, browser, csp_violations  # noqa: F401
from ..factories import add_items, make_event, make_user, make_venue

STATUSES = [*Registration.Status.values, "confirmed", "attended"]  # mostly seated


@pytest.fixture
def organiser(db):
    return make_user("report-organiser@example.org", full_name="Rita Reporter")


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def make_report_event(slug, organiser, *, project_code="", sessions=4):
    now = timezone.now().replace(second=0, microsecond=0)
    event = make_event(
        slug,
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=9),
        organisers=[organiser],
        project_code=project_code,
    )
    add_items(event, sessions, minutes=60)
    event_services.publish_agenda(event, actor=organiser, note="Final")
    event.refresh_from_db()
    return event


def fill(event, count, *, seed=0, answers=None):
    """``count`` registrations of every status, economy, sex, role, funding and
    way of taking part (random, seeded), attendance marks of the seated ones
    in random sessions, and an evaluation answered by about half of them.
    Returns the registrations as created, for counting independently."""
    rng = random.Random(seed)
    User = get_user_model()
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"{event.slug}-{seed}-{n}@example.org", password=password) for n in range(count)]
    )
    ParticipantProfile.objects.bulk_create(
        [ParticipantProfile(user=user, full_name=f"Person {n}", economy="NZ") for n, user in enumerate(users)]
    )
    now = timezone.now()
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                user=user,
                status=rng.choice(STATUSES),
                economy=rng.choice([*Economy.values, ""]),
                sex=rng.choice([*Sex.values, ""]),
                participation_type=rng.choice(ParticipationType.values),
                funding=rng.choice(Funding.values),
                participation_mode=rng.choice(ParticipationMode.values),
                queued_at=now,
            )
            for user in users
        ]
    )
    items = list(event.current_version.items.all())
    marks = []
    for registration in registrations:
        if registration.status in Registration.SEATED:
            for item in rng.sample(items, rng.randint(0, len(items))):
                marks.append(
                    AttendanceMark(
                        registration=registration,
                        item_uid=item.uid,
                        mode=rng.choice(AttendanceMark.Mode.values),
                        source=AttendanceMark.Source.DESK,
                        marked_at=now,
                    )
                )
    AttendanceMark.objects.bulk_create(marks)
    survey, _ = Survey.objects.get_or_create(
        event=event,
        kind=Survey.Kind.EVALUATION,
        defaults={
            "title": "How was the workshop?",
            "status": Survey.Status.CLOSED,
            "opens_at": event.ends_at,
            "closes_at": event.ends_at + timedelta(days=14),
        },
    )
    if not survey.questions.exists():
        Question.objects.bulk_create(
            [
                Question(survey=survey, position=1, kind=Question.Kind.SCALE, text="Overall, how useful was it?"),
                Question(
                    survey=survey, position=2, kind=Question.Kind.CHOICE, text="Will you use it?",
                    choices=["Yes", "No", "Partly"],
                ),
                Question(survey=survey, position=3, kind=Question.Kind.TEXT, text="What should change?"),
                Question(
                    survey=survey, position=4, kind=Question.Kind.SCALE, text="How good was the session?",
                    per_session=True,
                ),
            ]
        )  # fmt: skip
    scale, choice, text, per_session = survey.questions.order_by("position")
    answering = answers if answers is not None else count // 2
    responses = Response.objects.bulk_create([Response(survey=survey) for _ in range(answering)])
    made = []
    for response in responses:
        made.append(Answer(response=response, question=scale, scale=rng.randint(1, 5)))
        made.append(Answer(response=response, question=choice, choice=rng.choice(["Yes", "No", "Partly"])))
        if rng.random() < 0.3:
            made.append(Answer(response=response, question=text, text=f"Comment {rng.randint(1, 999)}"))
        item = rng.choice(items)
        made.append(Answer(response=response, question=per_session, item_uid=item.uid, scale=rng.randint(1, 5)))
    Answer.objects.bulk_create(made)
    return registrations


@pytest.fixture
def viewer_of(db):
    def grant(event, user):
        EventRole.objects.create(event=event, user=user, role=EventRole.Role.VIEWER)
        return user

    return grant
