from celery import shared_task

from . import health


@shared_task(ignore_result=True)
def heartbeat():
    health.record_heartbeat()
