from datetime import datetime

import pytest

from events import services
from events.models import Speaker

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
    services.publish_agenda(event, organiser, note="Provisional")
    event.refresh_from_db()
    return event
