from celery import shared_task

from . import health


@shared_task(ignore_result=True)
def heartbeat():
    """Scheduled by beat, run by a worker: proves the path through the broker."""
    health.record_heartbeat(health.QUEUE)
