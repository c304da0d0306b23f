from datetime import timedelta

import pytest
from django.utils import timezone

from registrations import services

from ..factories import make_event, make_user, make_venue


@pytest.fixture
def workshop(db, organiser):
    now = timezone.now().replace(second=0, microsecond=0)
    return make_event(
        "design-workshop",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=now + timedelta(days=40),
        ends_at=now + timedelta(days=40, hours=7),
        capacity=2,
        organisers=[organiser],
    )


@pytest.fixture
def people(db):
    def make(count, prefix="delegate"):
        return [make_user(f"{prefix}{n}@example.org", full_name=f"Delegate {n}") for n in range(count)]

    return make


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def seated(workshop, people):
    (user,) = people(1)
    user.profile.full_name = "Aisyah Ismail"
    user.profile.save()
    return services.register(workshop, user)
