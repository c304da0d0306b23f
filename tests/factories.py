"""Small builders for test data; each returns saved objects."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from events.models import AgendaItem, Event, Venue
from registrations.models import ParticipantProfile

PASSWORD = "correct-horse-battery-staple"


def make_user(email, *, staff=False, verified=True, full_name="Test Person", economy="NZ"):
    user = get_user_model().objects.create_user(email, PASSWORD, is_staff=staff)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    ParticipantProfile.objects.create(user=user, full_name=full_name, economy=economy)
    return user


def make_venue(zone="Asia/Kuala_Lumpur", city="Putrajaya"):
    return Venue.objects.create(name=f"Venue in {city}", city=city, economy="MY", timezone=zone)


def make_event(
    slug, *, venue=None, status=Event.Status.PUBLISHED, starts_at=None, ends_at=None, organisers=(), **extra
):
    venue = venue or make_venue()
    zone = ZoneInfo(venue.timezone)
    starts_at = starts_at or datetime(2031, 2, 17, 9, 0, tzinfo=zone)
    ends_at = ends_at or starts_at + timedelta(hours=8)
    event = Event.objects.create(
        slug=slug, title=extra.pop("title", slug.replace("-", " ").title()), venue=venue, status=status,
        starts_at=starts_at, ends_at=ends_at, **extra,
    )  # fmt: skip
    event.organisers.set(organisers)
    return event


def add_item(event, title, start, minutes=30, **extra):
    """``start`` is a wall-clock datetime in the venue's zone (naive or aware)."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=event.tz)
    return AgendaItem.objects.create(
        event=event, title=title, starts_at=start, ends_at=start + timedelta(minutes=minutes), **extra
    )


def add_items(event, count, start=None, minutes=15):
    start = start or event.starts_at
    return AgendaItem.objects.bulk_create(
        AgendaItem(
            event=event,
            title=f"Session {n}",
            starts_at=start + timedelta(minutes=minutes * n),
            ends_at=start + timedelta(minutes=minutes * (n + 1)),
        )
        for n in range(count)
    )


def settled(service, *args, **kwargs):
    """Call a registration service and let its notices go, as the worker sends
    them right after commit, so a test of later mail sees only that mail."""
    from django.core import mail
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        result = service(*args, **kwargs)
    mail.outbox.clear()
    return result
