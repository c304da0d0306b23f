from celery import shared_task

from . import documents, invitations, rendered_lists


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_programme(version_id):
    documents.ensure_programme(version_id)


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_list(rendered_list_id):
    rendered_lists.render_queued(rendered_list_id)


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_invitation(invitation_id):
    """Mail an invitation to an event's team, right after it was written."""
    invitations.send(invitation_id)
