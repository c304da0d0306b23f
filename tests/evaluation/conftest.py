from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation import services
from evaluation.models import Survey
from events import services as event_services
from registrations.models import Registration

from ..factories import add_item, make_event, make_user, make_venue


@pytest.fixture
def ended(db, organiser):
    """A two-day workshop in Auckland that ended yesterday, with a published
    agenda of two sessions, a break and lunch."""
    now = timezone.now().replace(second=0, microsecond=0)
    starts = now - timedelta(days=3)
    event = make_event(
        "penang-design-workshop",
        title="Industrial Design Workshop",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=starts,
        ends_at=now - timedelta(days=1),
        organisers=[organiser],
    )
    local = starts.astimezone(event.tz).replace(tzinfo=None)
    add_item(event, "Design protection in APEC economies", local, kind="presentation")
    add_item(event, "Coffee break", local + timedelta(minutes=30), kind="break")
    add_item(event, "Panel: examination practice", local + timedelta(hours=1), kind="panel")
    add_item(event, "Lunch", local + timedelta(hours=2), kind="lunch")
    event_services.publish_agenda(event, actor=organiser, note="Final")
    event.refresh_from_db()
    return event


@pytest.fixture
def participants(ended):
    """Four people who held a seat (one attended) and one who cancelled."""
    now = timezone.now()
    seated = []
    for n, status in enumerate(["confirmed", "attended", "confirmed", "attended"]):
        user = make_user(f"delegate{n}@example.org", full_name=f"Delegate {n}", economy="CL")
        seated.append(Registration.objects.create(event=ended, user=user, status=status, economy="CL", queued_at=now))
    cancelled = make_user("gone@example.org", full_name="Gone Person")
    Registration.objects.create(event=ended, user=cancelled, status="cancelled", queued_at=now)
    return seated


@pytest.fixture
def evaluation(ended, organiser):
    return services.create_survey(ended, Survey.Kind.EVALUATION, organiser)


@pytest.fixture
def opened(evaluation, participants, organiser):
    """The anonymous evaluation, opened now for the four seated participants."""
    services.open_survey(evaluation, organiser)
    evaluation.refresh_from_db()
    return evaluation


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client
