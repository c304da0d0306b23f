"""Registration mails are rows of the delivery ledger, written in the same
transaction as the change: a broker that is down when the change commits
delays the mail until the sweep, and the sweep sends it once."""

import pytest
from celery import current_app
from django.core import mail
from django.core.management import call_command

from registrations import services
from registrations.models import Delivery

pytestmark = pytest.mark.django_db


def _fresh_connections():
    # Celery keeps its connection and producer pools for the life of the app;
    # dropped so the next task connects to the broker now configured.
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Tasks go to a broker where nothing listens, as during a Redis outage."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, "redis://127.0.0.1:1/0"
    _fresh_connections()
    yield
    conf.task_always_eager, conf.broker_url = saved
    _fresh_connections()


def test_the_confirmation_is_a_ledger_row_written_with_the_seat(workshop, people, django_capture_on_commit_callbacks):
    (user,) = people(1)
    with django_capture_on_commit_callbacks(execute=False) as handed_off:
        registration = services.register(workshop, user)
    delivery = Delivery.objects.get(registration=registration)
    assert (delivery.kind, delivery.payload, delivery.status) == ("registration", {"mail": "confirmed"}, "pending")
    assert len(handed_off) == 1 and mail.outbox == []  # handed to a worker only after commit


def test_with_the_broker_down_the_mail_waits_for_the_sweep_and_goes_once(
    workshop, people, broker_down, django_capture_on_commit_callbacks
):
    (user,) = people(1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(workshop, user)  # the hand-off fails; the request does not
    assert registration.status == "confirmed"
    assert Delivery.objects.get(registration=registration).status == "pending"
    assert mail.outbox == []
    call_command("send_due_reminders", verbosity=0)
    call_command("send_due_reminders", verbosity=0)
    assert [(m.to, m.subject) for m in mail.outbox] == [([user.email], f"Registration confirmed: {workshop.title}")]
    sent = Delivery.objects.get(registration=registration)
    assert sent.status == "sent" and mail.outbox[0].extra_headers["Message-ID"] == sent.message_id


def test_notices_of_one_person_go_in_the_order_of_the_changes(
    workshop, people, broker_down, django_capture_on_commit_callbacks
):
    (user,) = people(1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(workshop, user)
        services.cancel(registration, actor=None)
    call_command("send_due_reminders", verbosity=0)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Registration confirmed", "Registration cancelled"]


def test_a_badge_sheet_requested_while_the_broker_is_down_is_handed_over_by_the_sweep(
    client, organiser, workshop, people, broker_down, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from registrations import documents
    from registrations.models import GeneratedDocument

    with django_capture_on_commit_callbacks(execute=True):
        services.register(workshop, people(1)[0])
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/desk/events/{workshop.slug}/files/new/badges/")
    assert response.status_code == 302  # the organiser is not shown an error
    job = GeneratedDocument.objects.get()
    assert job.status == "queued"
    current_app.conf.task_always_eager = True  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        documents.hand_off_stalled(now=timezone.now() + timedelta(minutes=1))
    job.refresh_from_db()
    assert job.status == "queued"  # a busy queue is not flooded with duplicates
    with django_capture_on_commit_callbacks(execute=True):
        documents.hand_off_stalled(now=timezone.now() + documents.HAND_OFF_AGAIN_AFTER + timedelta(seconds=1))
    job.refresh_from_db()
    assert job.status == "done" and job.file.name.endswith(".pdf")
