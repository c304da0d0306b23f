"""Heartbeats written by the worker and beat processes themselves, so that
/healthz and the desk can tell which of them is down."""

import logging
import time

from celery import bootsteps
from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import close_old_connections

# Model imports wait until the step runs: Celery loads this module before
# Django's apps are ready.
BEAT = "beat"

logger = logging.getLogger(__name__)


def _record(name):
    # Heartbeats must never take their process down: a database outage is
    # reported by /healthz itself.
    from . import health

    try:
        close_old_connections()
        health.record_heartbeat(name)
    except Exception:
        logger.warning("Could not record the %s heartbeat", name, exc_info=True)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Runs on the worker's own timer, beside (not through) the task queue."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_ref = None

    def start(self, worker):
        from .health import worker_heartbeat_name

        name = worker_heartbeat_name()
        _record(name)
        self.timer_ref = worker.timer.call_repeatedly(settings.HEARTBEAT_INTERVAL, _record, (name,), priority=10)

    def stop(self, worker):
        if self.timer_ref is not None:
            self.timer_ref.cancel()


class HeartbeatScheduler(PersistentScheduler):
    """Celery beat's usual scheduler that also records that its loop turns."""

    def __init__(self, *args, **kwargs):
        self.last_heartbeat = None
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if self.last_heartbeat is None or now - self.last_heartbeat >= settings.HEARTBEAT_INTERVAL:
            _record(BEAT)
            self.last_heartbeat = now
        return min(super().tick(*args, **kwargs), settings.HEARTBEAT_INTERVAL)
