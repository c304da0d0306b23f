"""Synthetic data for benchmarks: sized on demand, written with bulk inserts."""

import json
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from events import services
from events.economies import Economy
from events.models import AgendaItem, Event, ItemKind, Speaker, Venue
from registrations.checkin import checkin_qr
from registrations.models import ParticipantProfile, Registration

BENCH_FORMAT = "bench-agenda/1"
ECONOMIES = [economy for economy in Economy.values if economy != Economy.OTHER]


class BenchFormatError(ValueError):
    pass


def _bench_venue(zone_name):
    return Venue.objects.get_or_create(
        name=f"Bench venue ({zone_name})",
        defaults={"city": "Bench City", "economy": Economy.OTHER, "timezone": zone_name},
    )[0]


def _speaker_links(items, speakers_per_item):
    Through = AgendaItem.speakers.through
    return Through.objects.bulk_create(
        [
            Through(agendaitem_id=item.pk, speaker_id=speaker.pk)
            for item, speakers in zip(items, speakers_per_item, strict=True)
            for speaker in speakers
        ],
        batch_size=1000,
    )


@transaction.atomic
def make_synthetic(events, sessions, registrations, prefix="bench"):
    """``events`` published events of ``sessions`` sessions each (15 minutes
    apiece, over as many days as that takes) and ``registrations`` confirmed
    registrations each."""
    venue = _bench_venue("Pacific/Auckland")
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=30)
    speakers = Speaker.objects.bulk_create(
        [Speaker(name=f"Speaker {n}", organisation=f"Office {n % 21}", economy=ECONOMIES[n % 21]) for n in range(50)]
    )
    hasher_password = make_password(None)
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}-{uuid.uuid4().hex[:12]}@bench.example", password=hasher_password)
            for _ in range(registrations)
        ],
        batch_size=1000,
    )
    ParticipantProfile.objects.bulk_create(
        [
            ParticipantProfile(user=user, full_name=f"Participant {n}", economy=ECONOMIES[n % 21])
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )
    created = []
    for e in range(events):
        event_start = start + timedelta(days=7 * e)
        event = Event.objects.create(
            slug=f"{prefix}-{uuid.uuid4().hex[:10]}",
            title=f"Bench event {e + 1}",
            status=Event.Status.PUBLISHED,
            venue=venue,
            starts_at=event_start,
            ends_at=event_start + timedelta(days=1 + sessions // 32, hours=1),
            capacity=max(registrations, 1),
        )
        items = AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    event=event,
                    title=f"Session {n + 1}",
                    kind=ItemKind.PRESENTATION,
                    starts_at=event_start + timedelta(days=n // 32, minutes=15 * (n % 32)),
                    ends_at=event_start + timedelta(days=n // 32, minutes=15 * (n % 32) + 15),
                    room=f"Room {n % 4 + 1}",
                )
                for n in range(sessions)
            ],
            batch_size=1000,
        )
        _speaker_links(items, [[speakers[n % len(speakers)]] for n in range(sessions)])
        seated = Registration.objects.bulk_create(
            [
                Registration(
                    event=event,
                    user=user,
                    status=Registration.Status.CONFIRMED,
                    economy=ECONOMIES[n % 21],
                    queued_at=timezone.now(),
                )
                for n, user in enumerate(users)
            ],
            batch_size=1000,
        )
        # As registering on the site does, each person gets their check-in QR code.
        for registration in seated:
            registration.event = event
            checkin_qr(registration)
        if sessions:
            event.current_version = services.publish_agenda(event, actor=None)
        created.append(event)
    return created


def _local(value, zone):
    return datetime.fromisoformat(value).replace(tzinfo=zone)


@transaction.atomic
def load_agenda_json(path):
    """Load a shared bench agenda (format bench-agenda/1) as a published event,
    replacing an earlier load of the same slug."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if data.get("format") != BENCH_FORMAT:
        raise BenchFormatError(f"{path} is not a {BENCH_FORMAT} file (format: {data.get('format')!r}).")
    spec = data["event"]
    zone = ZoneInfo(spec["timezone"])
    Event.objects.filter(slug=spec["slug"]).delete()
    rooms = {room["id"]: room["name"] for room in data["rooms"]}
    talks = data["talks"]
    event = Event.objects.create(
        slug=spec["slug"],
        title=spec["name"],
        kind=Event.Kind.SIDE_EVENT,
        status=Event.Status.PUBLISHED,
        venue=_bench_venue(spec["timezone"]),
        starts_at=min(_local(talk["start_local"], zone) for talk in talks),
        ends_at=max(_local(talk["end_local"], zone) for talk in talks),
    )
    speaker_specs = {speaker["id"]: speaker for talk in talks for speaker in talk["speakers"]}
    speakers = dict(
        zip(
            speaker_specs,
            Speaker.objects.bulk_create(
                [Speaker(name=s["name"], email=s["email"], bio=s.get("biography", "")) for s in speaker_specs.values()],
                batch_size=1000,
            ),
            strict=True,
        )
    )
    items = AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                event=event,
                title=talk["title"],
                description=talk.get("abstract", ""),
                room=rooms.get(talk["room"], talk["room"]),
                starts_at=_local(talk["start_local"], zone),
                ends_at=_local(talk["end_local"], zone),
            )
            for talk in talks
        ],
        batch_size=1000,
    )
    _speaker_links(items, [[speakers[s["id"]] for s in talk["speakers"]] for talk in talks])
    event.current_version = services.publish_agenda(event, actor=None)
    return event
