from datetime import datetime

import pytest

from events import services
from events.models import Speaker
from registrations import services as registration_services

from ..factories import add_item


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme_event(event, organiser):
    speaker = Speaker.objects.create(
        title="Ms", name="Aiko Tanaka", organisation="WIPO", economy="XX", bio="Works on the Hague System."
    )
    opening = add_item(
        event, "Opening <img src=x onerror=alert(1)>", datetime(2031, 3, 3, 9, 0), kind="opening", room="Room 1"
    )
    opening.speakers.add(speaker)
    add_item(event, "Designs and small businesses", datetime(2031, 3, 4, 14, 30), room="Room 2")
    services.publish_agenda(event, actor=organiser, note="Provisional")
    event.refresh_from_db()
    return event


@pytest.fixture
def filled(workshop, people):
    users = people(4)
    users[0].profile.full_name = "Aisyah <b>Ismail</b>"
    users[0].profile.title = "Ms"
    users[0].profile.save()
    registration_services.register(workshop, users[0], economy="MY", organisation="MyIPO", share_in_public_list=True)
    registration_services.register(workshop, users[1], economy="NZ", organisation="IPONZ", share_in_public_list=False)
    registration_services.register(
        workshop, users[2], economy="NZ", organisation="MBIE", share_in_public_list=True
    )  # waitlisted
    return users


@pytest.fixture
def workshop(db, organiser):
    from datetime import timedelta

    from django.utils import timezone

    from ..factories import make_event, make_venue

    now = timezone.now().replace(second=0, microsecond=0)
    return make_event(
        "design-workshop", venue=make_venue("Pacific/Auckland", "Auckland"), capacity=2,
        starts_at=now + timedelta(days=40), ends_at=now + timedelta(days=40, hours=7), organisers=[organiser],
    )  # fmt: skip


@pytest.fixture
def people(db):
    from itertools import count

    from ..factories import make_user

    numbers = count()

    def make(how_many):
        return [make_user(f"delegate{n}@example.org", full_name=f"Delegate {n}") for n in
                (next(numbers) for _ in range(how_many))]  # fmt: skip

    return make
