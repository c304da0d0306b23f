"""Health of the parts a deployment needs, each reported on its own: the
database (without it this node cannot serve), the broker, the workers and beat.

Workers and beat write their own heartbeats (ops/heartbeats.py), so a dead
beat is not mistaken for a dead worker; a task that beat schedules and a worker
runs ("queue") proves the whole path through the broker."""

import socket

from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .heartbeats import BEAT
from .models import Heartbeat

WORKER_PREFIX = "worker@"
QUEUE = "queue"


def record_heartbeat(name):
    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now(), "hostname": socket.gethostname()}
    )


def worker_heartbeat_name():
    return f"{WORKER_PREFIX}{socket.gethostname()}"


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down"; say which
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_status():
    transport = current_app.conf.broker_url.split(":", 1)[0]
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as error:  # kombu raises transport-specific errors
        return {"ok": False, "transport": transport, "error": error.__class__.__name__}
    return {"ok": True, "transport": transport}


def _freshness(beat_at, what):
    if beat_at is None:
        return {"ok": False, "last_heartbeat": None, "age_seconds": None, "detail": f"no {what} heartbeat yet"}
    age = (timezone.now() - beat_at).total_seconds()
    ok = age <= settings.WORKER_HEARTBEAT_MAX_AGE
    return {
        "ok": ok,
        "last_heartbeat": beat_at.isoformat(),
        "age_seconds": round(age),
        "detail": f"{what} alive" if ok else f"no {what} heartbeat recently: the {what} is down",
    }


def worker_status():
    beats = list(Heartbeat.objects.filter(name__startswith=WORKER_PREFIX).values_list("beat_at", flat=True))
    status = _freshness(max(beats, default=None), "worker")
    limit = timezone.now().timestamp() - settings.WORKER_HEARTBEAT_MAX_AGE
    status["alive"] = sum(1 for beat_at in beats if beat_at.timestamp() >= limit)
    return status


def beat_status():
    return _freshness(Heartbeat.objects.filter(name=BEAT).values_list("beat_at", flat=True).first(), "beat")


def queue_status():
    """A task beat sent through the broker ran on a worker recently."""
    return _freshness(Heartbeat.objects.filter(name=QUEUE).values_list("beat_at", flat=True).first(), "queue")


def background_status():
    """What organisers are told: the first part of background work that is down, if any."""
    for status in (worker_status(), beat_status(), queue_status()):
        if not status["ok"]:
            return status
    return status


def report():
    database = database_status()
    down = {"ok": False, "detail": "database down"}
    return {
        "database": database,
        "broker": broker_status(),
        "worker": worker_status() if database["ok"] else down,
        "beat": beat_status() if database["ok"] else down,
        "queue": queue_status() if database["ok"] else down,
    }
