from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def open_due_surveys():
    """Beat: open the scheduled surveys whose time has come (their invitations
    go out with the next dispatch) and close those past their closing time."""
    services.open_due_surveys()
