from celery import shared_task

from . import documents, reminders, services


@shared_task(
    bind=True,
    autoretry_for=(OSError,),  # SMTP and socket errors: try again later
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
    ignore_result=True,
)
def send_now(self, delivery_ids):
    """Send deliveries written moments ago (a confirmation, say) without waiting
    for beat. The claim's token is the task's id, which a retry keeps, so a
    retry sends what is left of its own claim."""
    token = self.request.id.replace("-", "")
    reminders.claim(ids=delivery_ids, token=token)
    reminders.send(token)


@shared_task(ignore_result=True)
def erase_expired_personal_data():
    """Daily: dietary and accessibility needs and passport details of events
    that ended a while ago are erased (as manage.py erase_personal_data does)."""
    services.erase_personal_data_of_past_events()


@shared_task(ignore_result=True)
def dispatch_due():
    """Every minute (beat): plan what is due and hand it to workers in batches;
    hand over again the document jobs whose hand-off was lost."""
    reminders.plan()
    while token := reminders.claim():
        send_deliveries.delay(token)
    documents.hand_off_stalled()


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
