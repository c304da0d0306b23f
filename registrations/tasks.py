from celery import shared_task

from . import documents, notifications, reminders, services


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


@shared_task(ignore_result=True)
def dispatch_due():
    """Every minute (beat): plan what is due and hand it to workers in batches."""
    reminders.plan()
    while token := reminders.claim():
        send_deliveries.delay(token)


@shared_task(
    autoretry_for=(OSError,),  # smtplib's errors are OSErrors: the sink is down, try later
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=20,
    acks_late=True,
    ignore_result=True,
)
def send_deliveries(token):
    reminders.send(token)


@shared_task(acks_late=True, ignore_result=True)
def generate_document(job_id):
    documents.generate(job_id)
