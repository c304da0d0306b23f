from datetime import timedelta

import pytest
from django.utils import timezone

from questions import services
from registrations.models import Registration

from ..factories import make_event, make_user, make_venue


@pytest.fixture
def workshop(db, organiser):
    now = timezone.now().replace(second=0, microsecond=0)
    return make_event(
        "design-workshop",
        title="Industrial Design Workshop",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=now + timedelta(days=40),
        ends_at=now + timedelta(days=40, hours=7),
        organisers=[organiser],
    )


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def ask(event, kind, label, actor=None, **fields):
    return services.add_question(event, actor=actor, kind=kind, label=label, **fields)


def seat(event, email, *, status=Registration.Status.CONFIRMED, participation_type="delegate", name=None):
    user = make_user(email, full_name=name or email.split("@")[0].title())
    return Registration.objects.create(
        event=event, user=user, status=status, economy="NZ", participation_type=participation_type,
        queued_at=timezone.now(),
    )  # fmt: skip


def form_data(**changes):
    data = {"participation_type": "delegate", "economy": "NZ", "organisation": "IPONZ", "privacy_consent": "on"}
    data.update(changes)
    return data
