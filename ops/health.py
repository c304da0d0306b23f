"""Health of the parts a deployment needs: database, broker, worker (and beat)."""

import socket

from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Heartbeat

WORKER = "worker"


def record_heartbeat():
    Heartbeat.objects.update_or_create(
        name=WORKER, defaults={"beat_at": timezone.now(), "hostname": socket.gethostname()}
    )


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


def worker_status():
    beat = Heartbeat.objects.filter(name=WORKER).first()
    if beat is None:
        return {"ok": False, "last_heartbeat": None, "age_seconds": None, "detail": "no heartbeat yet"}
    age = (timezone.now() - beat.beat_at).total_seconds()
    ok = age <= settings.WORKER_HEARTBEAT_MAX_AGE
    return {
        "ok": ok,
        "last_heartbeat": beat.beat_at.isoformat(),
        "age_seconds": round(age),
        "detail": "worker and beat alive" if ok else "no heartbeat recently: worker or beat is down",
    }


def report():
    database = database_status()
    return {
        "database": database,
        "broker": broker_status(),
        "worker": worker_status() if database["ok"] else {"ok": False, "detail": "database down"},
    }
