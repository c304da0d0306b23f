from celery import shared_task

from . import mail, services


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def print_final_list(final_id):
    services.print_final(final_id)


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_focal_point_mail(point_id):
    mail.send_focal_point_mail(point_id)
