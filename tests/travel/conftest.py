from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events import services as event_services
from registrations.models import Registration

from ..factories import add_item, make_event, make_user, make_venue

PDF = b"%PDF-1.4\n% a scanned e-ticket\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def seeded_eligibility(travel_eligibility):
    """Every travel test starts from APEC's list (tests/conftest.py says why)."""


def upload(name="e-ticket.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def workshop(db, organiser):
    """A two-day workshop in Auckland that ended yesterday, with a published
    agenda of two one-hour sessions and a lunch between them."""
    now = timezone.now().replace(second=0, microsecond=0)
    starts = now - timedelta(days=3)
    event = make_event(
        "design-workshop",
        title="Industrial Design Workshop",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=starts,
        ends_at=starts + timedelta(days=1, hours=8),
        organisers=[organiser],
    )
    local = starts.astimezone(event.tz).replace(tzinfo=None)
    add_item(event, "Design protection", local, minutes=60, kind="presentation")
    add_item(event, "Lunch", local + timedelta(hours=1), minutes=60, kind="lunch")
    add_item(event, "Examination practice", local + timedelta(hours=2), minutes=60, kind="panel")
    event_services.publish_agenda(event, actor=organiser, note="Final")
    event.refresh_from_db()
    return event


def seat(event, email, economy, *, status=Registration.Status.CONFIRMED, name=None):
    user = make_user(email, full_name=name or email.split("@")[0].title(), economy=economy)
    return Registration.objects.create(event=event, user=user, status=status, economy=economy, queued_at=timezone.now())


@pytest.fixture
def chilean(workshop):
    return seat(workshop, "carla@example.org", "CL", name="Carla Chile")


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def traveller(chilean, organiser):
    from travel import services

    return services.fund(chilean, "apec_participant", actor=organiser)
