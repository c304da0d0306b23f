from celery import shared_task

from . import notifications, services


@shared_task(
    autoretry_for=(OSError,),  # SMTP and socket errors: try again later
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
    ignore_result=True,
)
def send_registration_mail(registration_id, kind):
    notifications.send(registration_id, kind)


@shared_task(ignore_result=True)
def erase_expired_letter_data():
    """Daily: passport details of events that ended a while ago are erased."""
    services.erase_letter_data_of_past_events()
