from celery import shared_task

from . import documents


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_programme(version_id):
    documents.ensure_programme(version_id)
