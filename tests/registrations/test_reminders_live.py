"""Reminders through the real parts: a Celery worker and beat on Redis, an
SMTP server on loopback. Exactly once, right local times; a worker killed
mid-batch loses nothing; an SMTP outage delays but never duplicates."""

import collections
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from ..processes import VENV_BIN, Background, manage, project_env, wait_for
from ..smtp_sink import free_port
from ..smtp_sink import start as start_sink

pytestmark = pytest.mark.slow

SETUP = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from events.models import Event, Venue
from registrations.models import ParticipantProfile, Registration

now = timezone.now().replace(microsecond=0)
venue = Venue.objects.create(name="Aotea Centre", city="Auckland", economy="NZ", timezone="Pacific/Auckland")
event = Event.objects.create(slug="live", title="Live reminder workshop", status="published", venue=venue,
    starts_at=now + timedelta(days=1, minutes=-1), ends_at=now + timedelta(days=1, hours=6), reminder_offsets=[1440])
users = get_user_model().objects.bulk_create(get_user_model()(email=f"p{n}@example.org") for n in range(COUNT))
ParticipantProfile.objects.bulk_create(ParticipantProfile(user=u, full_name=f"P {n}", economy="NZ") for n, u in enumerate(users))
Registration.objects.bulk_create(Registration(event=event, user=u, status="confirmed", queued_at=now) for u in users)
print(event.starts_at.astimezone(event.tz).strftime("%H:%M"))
"""


@pytest.fixture
def live(tmp_path, redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    port = free_port()
    env = project_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        VAR_DIR=str(tmp_path / "var"),
        REDIS_URL=redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        REMINDER_DISPATCH_INTERVAL="1",
        REMINDER_STALE_CLAIM_SECONDS="8",
        HEARTBEAT_INTERVAL="3600",
    )
    manage("migrate", "--noinput", env=env)
    return env, port, tmp_path


def setup_reminders(env, count):
    return manage("shell", "-c", SETUP.replace("COUNT", str(count)), env=env).strip().splitlines()[-1]


def worker(env, tmp_path, name, concurrency=1):
    command = [str(VENV_BIN / "celery"), "-A", "config", "worker", f"--concurrency={concurrency}", "--loglevel=INFO"]
    return Background(*command, env=env, log=tmp_path / f"{name}.log")


def beat(env, tmp_path):
    command = [str(VENV_BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO",
               "--schedule", str(tmp_path / "beat-schedule")]  # fmt: skip
    return Background(*command, env=env, log=tmp_path / "beat.log")


def recipients(sink):
    return collections.Counter(message["To"] for message in sink.parsed())


def sent_rows(tmp_path):
    with sqlite3.connect(tmp_path / "db.sqlite3") as connection:
        return connection.execute("SELECT COUNT(*) FROM registrations_delivery WHERE status = 'sent'").fetchone()[0]


def test_every_due_reminder_arrives_exactly_once_with_local_times(live):
    env, port, tmp_path = live
    local_start = setup_reminders(env, 25)
    sink, controller = start_sink(port)
    try:
        with worker(env, tmp_path, "worker", concurrency=2) as running, beat(env, tmp_path):
            assert wait_for(lambda: sink.count() >= 25, timeout=90), running.output()[-3000:]
            wait_for(lambda: sent_rows(tmp_path) >= 25, timeout=20)
            # Beat keeps dispatching every second: nothing more may come.
            wait_for(lambda: sink.count() > 25, timeout=5)
    finally:
        controller.stop()
    assert sink.count() == 25
    assert set(recipients(sink).values()) == {1}
    for message in sink.parsed():
        assert local_start in message["Subject"] and "Live reminder workshop" in message["Subject"]
        assert message["Message-ID"].startswith("<delivery-")


def test_a_worker_killed_mid_batch_loses_nothing(live):
    env, port, tmp_path = live
    count = 300
    setup_reminders(env, count)
    sink, controller = start_sink(port, delay=0.01)
    try:
        first = worker(env, tmp_path, "first")
        with beat(env, tmp_path):
            with first as running:
                assert wait_for(lambda: sink.count() >= 60, timeout=90), running.output()[-3000:]
                os.killpg(running.process.pid, signal.SIGKILL)  # no goodbye, no ack
                running.process.wait()
                killed_at = sink.count()
            assert killed_at < count, "the batch finished before the kill; the test proves nothing"
            with worker(env, tmp_path, "second") as second:
                assert wait_for(lambda: len(set(recipients(sink))) >= count, timeout=120), second.output()[-3000:]
                wait_for(lambda: sent_rows(tmp_path) >= count, timeout=30)
    finally:
        controller.stop()
    received = recipients(sink)
    assert len(received) == count  # none lost
    duplicates = sum(n - 1 for n in received.values())
    # At most what was in flight at the kill: one message per worker process.
    assert duplicates <= 1
    assert len(sink.message_ids()) - len(set(sink.message_ids())) == duplicates  # a duplicate keeps its Message-ID


def test_an_smtp_outage_delays_delivery_but_never_duplicates(live):
    env, port, tmp_path = live
    setup_reminders(env, 30)
    with worker(env, tmp_path, "worker") as running, beat(env, tmp_path):
        wait_for(lambda: "Retry in" in Path(running.log_path).read_text(), timeout=60)
        assert "Retry in" in running.output(), "the worker should have retried against the closed port"
        sink, controller = start_sink(port)  # the mail server comes back
        try:
            assert wait_for(lambda: sink.count() >= 30, timeout=120), running.output()[-3000:]
            wait_for(lambda: sink.count() > 30, timeout=10)
        finally:
            controller.stop()
    assert sink.count() == 30
    assert set(recipients(sink).values()) == {1}
