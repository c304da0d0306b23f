"""A meeting in Auckland happening now: one session on now, one about to
start, one later today, one over, and a coffee break; a delegate in the
room, one taking part online, and one still waiting for approval."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from events import services as event_services
from events.models import ItemKind, PublishedItem
from registrations.models import Registration

from ..factories import add_item, make_event, make_user, make_venue

Status = Registration.Status
Mode = Registration.Mode


def seat(event, user, *, status=Status.CONFIRMED, economy="MY", mode=Mode.IN_PERSON):
    return Registration.objects.create(
        event=event, user=user, status=status, economy=economy, participation_mode=mode, queued_at=timezone.now()
    )


def published(event):
    """The current version's items by title."""
    return {item.title: item for item in PublishedItem.objects.filter(version_id=event.current_version_id)}


@pytest.fixture
def meeting(db, organiser):
    now = timezone.now().replace(microsecond=0)
    event = make_event(
        "design-workshop",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=now - timedelta(hours=4),
        ends_at=now + timedelta(hours=8),
        organisers=[organiser],
        attendance_margin_minutes=15,
        remote_link_lead_minutes=30,
        remote_meeting_url="https://meet.example.org/j/ipeg-secret-room",
    )
    add_item(event, "Earlier talk", now - timedelta(hours=3), minutes=60)
    add_item(event, "Opening", now - timedelta(minutes=10), minutes=60)
    add_item(event, "Coffee break", now + timedelta(minutes=50), minutes=20, kind=ItemKind.BREAK)
    add_item(event, "Soon panel", now + timedelta(minutes=20), minutes=60, kind=ItemKind.PANEL)
    add_item(event, "Later panel", now + timedelta(hours=3), minutes=90, kind=ItemKind.PANEL)
    event_services.publish_agenda(event, actor=organiser, note="First")
    event.refresh_from_db()
    return SimpleNamespace(event=event, items=published(event), now=now)


@pytest.fixture
def delegates(meeting):
    event = meeting.event
    return SimpleNamespace(
        in_room=seat(event, make_user("aisyah@example.org", full_name="Aisyah Ismail"), economy="MY"),
        online=seat(
            event,
            make_user("rangi@example.org", full_name="Rangi Parata", economy="NZ"),
            economy="NZ",
            mode=Mode.REMOTE_LISTENING,
        ),
        pending=seat(event, make_user("paula@example.org", full_name="Paula Pending"), status=Status.PENDING),
    )
