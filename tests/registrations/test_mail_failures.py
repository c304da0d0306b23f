"""One mail that cannot be written or is refused never holds its batch: it is
put back with the reason, the rest of the batch arrives, and after
MAIL_MAX_ATTEMPTS attempts it is failed for good, shown to the event's
organisers, who can try it again. An unreachable mail server counts against
no mail. Mail goes to a real SMTP server on loopback."""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from events.models import Event
from registrations import reminders, services
from registrations.models import Delivery, Registration

from ..factories import make_user
from ..smtp_sink import Sink, free_port

pytestmark = pytest.mark.django_db


class StrictSink(Sink):
    """A mail server that refuses some mailboxes and hangs up on others."""

    def __init__(self):
        super().__init__()
        self.refused = set()
        self.hang_up_on = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        if address in self.hang_up_on:
            server.transport.close()
            return "421 4.3.0 Going away"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def recipients(self):
        return sorted(message["To"] for message in self.parsed())


def point_mail_at(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def sink(settings):
    server = StrictSink()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_mail_at(settings, controller.port)
    yield server
    controller.stop()


@pytest.fixture
def participants(workshop, people, django_capture_on_commit_callbacks):
    """Five registered participants (confirmations already sent); the third
    address will be refused, the fourth cannot be written in a mail header."""
    Event.objects.filter(pk=workshop.pk).update(capacity=None)
    users = [*people(3), make_user("gone@example.org"), make_user("bad@example.org")]
    with django_capture_on_commit_callbacks(execute=True):
        for user in users:
            services.register(workshop, user)
    users[4].email = "bad@example.org\nBcc: someone@example.org"  # as an old import left it
    users[4].save(update_fields=["email"])
    return users


def write_to_everyone(workshop, organiser, subject="Shuttle bus", hand_off=True, capture=None):
    with capture(execute=hand_off):
        return reminders.send_organiser_message(
            workshop,
            organiser,
            subject,
            "The bus leaves at 08:00.",
            {},
            Registration.objects.filter(event=workshop),
        )


def message_rows(message):
    return Delivery.objects.filter(kind=Delivery.Kind.ORGANISER_MESSAGE, key=f"m{message.pk}")


def row_to(message, address):
    return message_rows(message).get(registration__user__email__startswith=address)


def test_a_refused_recipient_and_an_unwritable_address_fail_alone_and_the_rest_arrive(
    client, sink, workshop, organiser, participants, django_capture_on_commit_callbacks
):
    sink.refused.add("gone@example.org")
    sink.clear()
    before = timezone.now()
    message = write_to_everyone(workshop, organiser, capture=django_capture_on_commit_callbacks)
    assert sink.recipients() == ["delegate0@example.org", "delegate1@example.org", "delegate2@example.org"]
    assert {m["Subject"] for m in sink.parsed()} == {f"Shuttle bus [{workshop.title}]"}

    refused = row_to(message, "gone@")
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert refused.last_error == "SMTPRecipientsRefused: gone@example.org refused: 550 5.1.1 No such mailbox here"
    # Tried again after MAIL_RETRY_DELAY_SECONDS, not at the next sweep.
    assert refused.due_at >= before + timedelta(seconds=django_settings.MAIL_RETRY_DELAY_SECONDS)
    unwritable = row_to(message, "bad@")
    assert (unwritable.status, unwritable.attempts) == ("pending", 1)
    assert unwritable.last_error.startswith("ValueError: Invalid address")
    assert "\n" not in unwritable.last_error and len(unwritable.last_error) <= 300
    assert message_rows(message).filter(status="sent").count() == 3
    assert reminders.claim() is None  # neither is due again yet

    client.force_login(organiser)
    page = client.get(f"/desk/events/{workshop.slug}/messages/").content.decode()
    assert "Will be tried again" in page and "gone@example.org" in page and "No such mailbox here" in page
    assert "Try again</button>" not in page  # nothing has failed for good yet


def test_after_the_bounded_attempts_a_mail_is_failed_and_never_claimed_again(
    sink, workshop, organiser, participants, django_capture_on_commit_callbacks
):
    sink.refused.add("gone@example.org")
    sink.clear()
    message = write_to_everyone(workshop, organiser, capture=django_capture_on_commit_callbacks)
    row = row_to(message, "gone@")
    now, delays = timezone.now(), []
    while row.status == "pending":
        delays.append(row.due_at - now)
        now = row.due_at
        assert reminders.send_due(now=now - timedelta(seconds=1)) == 0  # not before its time
        reminders.send_due(now=now)
        row.refresh_from_db()
    assert row.status == "failed" and row.attempts == django_settings.MAIL_MAX_ATTEMPTS == 5
    assert row.failed_at is not None and "550 5.1.1" in row.last_error
    minutes = [round(delay.total_seconds() / 60) for delay in delays]
    assert minutes == [5, 10, 20, 40]  # each wait twice the one before
    assert reminders.claim(now=now + timedelta(days=30)) is None
    assert reminders.send_due(now=now + timedelta(days=30)) == 0
    assert sink.recipients().count("gone@example.org") == 0
    assert len(sink.recipients()) == 3  # the others went once, at the first try


def test_an_unreachable_mail_server_holds_the_batch_without_counting_against_any_mail(
    settings, workshop, organiser, participants, django_capture_on_commit_callbacks
):
    port = free_port()
    point_mail_at(settings, port)  # nothing listens there yet
    message = write_to_everyone(workshop, organiser, hand_off=False, capture=django_capture_on_commit_callbacks)
    with pytest.raises(OSError):
        reminders.send_due()
    rows = message_rows(message)
    assert set(rows.values_list("status", "attempts", "last_error")) == {("sending", 0, "")}

    server = StrictSink()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()  # the mail server is back
    try:
        # The claim of the batch that stopped is taken over once stale, as by beat.
        later = timezone.now() + reminders.stale_claim() + timedelta(seconds=1)
        reminders.send_due(now=later)
    finally:
        controller.stop()
    assert server.recipients() == [
        "delegate0@example.org",
        "delegate1@example.org",
        "delegate2@example.org",
        "gone@example.org",
    ]
    assert rows.filter(status="sent").count() == 4
    assert rows.get(registration__user__email__startswith="bad@").attempts == 1  # its own fault only


def test_a_mail_that_makes_the_server_hang_up_is_put_back_and_the_batch_goes_on(
    sink, workshop, organiser, participants, django_capture_on_commit_callbacks
):
    sink.hang_up_on.add("delegate1@example.org")
    sink.clear()
    message = write_to_everyone(workshop, organiser, hand_off=False, capture=django_capture_on_commit_callbacks)
    # What the worker's task does: send its claim, and on an OSError retry it
    # later with the same token.
    token = reminders.claim()
    with pytest.raises(OSError):
        reminders.send(token)
    assert sink.recipients() == ["delegate0@example.org"]
    reminders.send(token)
    assert sink.recipients() == ["delegate0@example.org", "delegate2@example.org", "gone@example.org"]
    row = row_to(message, "delegate1@")
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error.startswith("SMTPServerDisconnected")
    assert row.due_at > timezone.now()


@pytest.fixture
def failed(sink, settings, workshop, organiser, participants, django_capture_on_commit_callbacks):
    """The organiser's message to gone@example.org, refused until it failed."""
    settings.MAIL_MAX_ATTEMPTS = 1
    sink.refused.add("gone@example.org")
    sink.clear()
    message = write_to_everyone(workshop, organiser, capture=django_capture_on_commit_callbacks)
    row = row_to(message, "gone@")
    assert row.status == "failed"
    return row


def test_organisers_see_failed_mail_with_its_reason_and_others_get_404(
    desk, client, failed, workshop, other_organiser, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        page = desk.get(f"/desk/events/{workshop.slug}/messages/").content.decode()
    assert "Mail that could not be delivered" in page
    assert "gone@example.org" in page and "Message from the organisers" in page
    assert "550 5.1.1 No such mailbox here" in page
    assert f"/desk/events/{workshop.slug}/messages/undelivered/{failed.pk}/try-again/" in page
    assert "bad@example.org" in page and "ValueError: Invalid address" in page

    client.force_login(other_organiser)
    assert client.get(f"/desk/events/{workshop.slug}/messages/").status_code == 404
    response = client.post(f"/desk/events/{workshop.slug}/messages/undelivered/{failed.pk}/try-again/")
    assert response.status_code == 404
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_the_list_stays_bounded_in_queries_as_failures_grow(
    desk, failed, workshop, people, django_assert_max_num_queries
):
    more = Delivery.objects.bulk_create(
        Delivery(
            registration=services.register(workshop, user),
            kind=Delivery.Kind.EVENT_REMINDER,
            key="1440",
            due_at=timezone.now(),
            status=Delivery.Status.FAILED,
            failed_at=timezone.now(),
            attempts=5,
            last_error="SMTPDataError: 554 5.7.1 Rejected",
        )
        for user in people(20, prefix="late")
    )
    with django_assert_max_num_queries(12):
        page = desk.get(f"/desk/events/{workshop.slug}/messages/").content.decode()
    assert page.count("554 5.7.1 Rejected") == len(more)


def test_try_again_sends_the_failed_mail_once_its_cause_is_fixed(
    desk, sink, failed, workshop, organiser, django_capture_on_commit_callbacks, caplog
):
    url = f"/desk/events/{workshop.slug}/messages/undelivered/{failed.pk}/try-again/"
    csrf_checked = Client(enforce_csrf_checks=True)
    csrf_checked.force_login(organiser)
    assert csrf_checked.post(url).status_code == 403
    assert desk.get(url).status_code == 405

    sink.refused.clear()  # the participant's mailbox is back
    sink.clear()
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("INFO", "registrations.reminders"):
        response = desk.post(url)
    assert response.status_code == 302 and response["Location"] == f"/desk/events/{workshop.slug}/messages/"
    assert sink.recipients() == ["gone@example.org"]
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.failed_at is None
    assert any("asked to try delivery" in record.getMessage() for record in caplog.records)
    page = desk.get(response["Location"]).content.decode()
    assert "The mail to gone@example.org is being sent again." in page
    assert "No such mailbox here" not in page  # no longer listed as undelivered

    again = desk.post(url)  # a second click changes nothing
    assert again.status_code == 302 and sink.recipients() == ["gone@example.org"]
