"""Reminders and notices, none lost and none twice.

1. ``plan`` turns what is due now into Delivery rows (a unique key per
   registration, kind and offset, so planning twice plans nothing new).
2. ``claim`` takes a batch of due rows with ``SELECT … FOR UPDATE SKIP LOCKED``
   and marks them "sending", so two workers never take the same row. Rows left
   "sending" by a worker that died are taken again after ``STALE_CLAIM``.
3. ``send`` re-checks each row against the state *now* (cancelled an hour ago?
   event cancelled? no longer wanted?), and sends over one SMTP connection, each
   message inside a transaction that marks its row "sent" and commits once the
   message has left.

A crash between 3's send and mark can repeat only the messages in flight; the
Message-ID derived from the row lets receiving servers drop that repeat.

One mail never holds its batch: a mail that cannot be built, or that the mail
server refuses, is put back with the reason and a later due time, and is
"failed" after MAIL_MAX_ATTEMPTS attempts (``_attempt_failed``), while the rest
of the batch goes on. A mail server that cannot be reached is not any mail's
fault: the batch stops and is tried again whole (``send``).
"""

import contextlib
import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

import audit
from events.models import Event, PublishedItem
from ops.dispatch import after_commit

from . import notifications
from .models import Delivery, OrganiserMessage, Registration, StarredItem

BATCH_SIZE = 100
logger = logging.getLogger(__name__)

# The server answered for this one message: no such mailbox, message too large,
# sender not allowed, content rejected. The connection stays usable.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
# "421: service not available, closing": the server is going away (or counts
# messages per connection), whatever the message.
SERVER_CLOSING = 421


def stale_claim():
    """How long a claim may go without progress before another worker takes it over."""
    return timedelta(seconds=settings.REMINDER_STALE_CLAIM_SECONDS)


def _planned_reminders(now):
    """Delivery rows for every event reminder that has fallen due."""
    grace = timedelta(hours=settings.REMINDER_GRACE_HOURS)
    horizon = now + timedelta(minutes=settings.REMINDER_MAX_OFFSET_MINUTES)
    events = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=horizon)
    rows = []
    for event in events.only("pk", "starts_at", "reminder_offsets"):
        for minutes in event.reminder_offsets or []:
            due = event.starts_at - timedelta(minutes=minutes)
            # Only what is due now and not long past: someone who gets a seat
            # three days after the "week before" reminder gets the ones still ahead.
            if not (now - grace <= due <= now):
                continue
            seated = Registration.objects.filter(event_id=event.pk, status__in=Registration.SEATED)
            rows += [
                Delivery(
                    registration_id=registration_id,
                    kind=Delivery.Kind.EVENT_REMINDER,
                    key=str(minutes),
                    due_at=due,
                )
                for registration_id in seated.values_list("pk", flat=True)
            ]
    return rows


# Other apps' due mails (evaluation/: surveys that open, reminders to those who
# have not answered), filled by their AppConfig.ready() so that beat and
# send_due_reminders plan them too, without registrations importing those apps.
# Each is callable(now) -> [unsaved Delivery]; it may change state of its own
# (open a survey that is due) in its own transaction.
PLANNERS = []
# kind -> callable(delivery, now) -> why the mail must not go now, or None.
STILL_WANTED = {}


def plan(now=None):
    now = now or timezone.now()
    rows = _planned_reminders(now) + _planned_starting_soon(now)
    for planner in PLANNERS:
        rows += planner(now)
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def claim(now=None, limit=BATCH_SIZE, ids=None, token=None):
    """Claim up to ``limit`` due deliveries (only those of ``ids`` when given);
    returns the claim's token, or None when nothing is due."""
    now = now or timezone.now()
    token = token or uuid.uuid4().hex
    with transaction.atomic():
        candidates = Delivery.objects.select_for_update(skip_locked=True)
        if ids is not None:
            candidates = candidates.filter(pk__in=ids)
        due = (
            candidates.filter(due_at__lte=now)
            .filter(
                Q(status=Delivery.Status.PENDING)
                | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - stale_claim())
            )
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        ids = list(due)
        if not ids:
            return None
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.SENDING, claimed_at=now, claim_token=token)
    return token


def _skip(delivery, reason):
    delivery.status = Delivery.Status.SKIPPED
    delivery.skip_reason = reason
    delivery.save(update_fields=["status", "skip_reason"])


def _still_wanted(delivery, now):
    """Why the delivery must not go out now, or None when it should."""
    if delivery.kind == Delivery.Kind.REGISTRATION:
        return None  # the record of a change that happened: it goes even if a later one follows
    if delivery.kind in STILL_WANTED:
        return STILL_WANTED[delivery.kind](delivery, now)
    registration = delivery.registration
    event = registration.event
    if delivery.kind == Delivery.Kind.EVENT_CANCELLED:
        return None if registration.is_active or registration.status == Registration.Status.CANCELLED else "declined"
    if event.status != Event.Status.PUBLISHED:
        return f"event is {event.status}"
    if delivery.kind in (Delivery.Kind.EVENT_REMINDER, Delivery.Kind.STARTING_SOON):
        if not registration.holds_seat:
            return f"registration is {registration.status}"
        if delivery.kind == Delivery.Kind.EVENT_REMINDER and event.starts_at <= now:
            return "event has started"
    elif not registration.is_active:
        return f"registration is {registration.status}"
    profile = getattr(registration.user, "profile", None)
    if profile is not None and not profile.wants(delivery.kind):
        return "turned off by the participant"
    return None


def _mark_sent(pk, token):
    """Mark a delivery sent if this claim still holds it. Written in SQL because
    it runs once per mail, and building the same UPDATE through the ORM each
    time stood out in the worker's profile (bench/reminders.py)."""
    quote = connection.ops.quote_name
    table, pk_column = quote(Delivery._meta.db_table), quote(Delivery._meta.pk.column)
    sent_at = connection.ops.adapt_datetimefield_value(timezone.now())  # stored as the ORM would store it
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, attempts = attempts + 1"  # noqa: S608 - names from the model
            f" WHERE {pk_column} = %s AND claim_token = %s AND status = %s",
            [Delivery.Status.SENT, sent_at, pk, token, Delivery.Status.SENDING],
        )
        return cursor.rowcount


def failure_reason(error):
    """The reason shown to organisers: what failed, in one short line."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{address} refused: {code} {_text(answer)}" for address, (code, answer) in error.recipients.items()
        )
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = str(error)
    line = " ".join(f"{type(error).__name__}: {text}".split())
    return line if len(line) <= 300 else line[:299] + "…"


def _text(answer):
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def retry_delay(attempts):
    """How long after its ``attempts``-th failed attempt a mail is tried again."""
    return timedelta(seconds=settings.MAIL_RETRY_DELAY_SECONDS * 2 ** max(attempts - 1, 0))


def _attempt_failed(delivery, token, error, now):
    """Count a failed attempt of one delivery still held by claim ``token``:
    back to "pending", due again after a delay that doubles each time, or
    "failed" for good after MAIL_MAX_ATTEMPTS attempts."""
    attempts = delivery.attempts + 1
    reason = failure_reason(error)
    changes = {"attempts": attempts, "last_error": reason, "claim_token": "", "claimed_at": None}
    if attempts >= settings.MAIL_MAX_ATTEMPTS:
        changes.update(status=Delivery.Status.FAILED, failed_at=timezone.now())
    else:
        changes.update(status=Delivery.Status.PENDING, due_at=now + retry_delay(attempts))
    held = Delivery.objects.filter(pk=delivery.pk, claim_token=token, status=Delivery.Status.SENDING)
    if held.update(**changes):
        logger.warning(
            "Delivery %s (%s to registration %s), attempt %s of %s: %s%s",
            delivery.pk,
            delivery.kind,
            delivery.registration_id,
            attempts,
            settings.MAIL_MAX_ATTEMPTS,
            reason,
            "; failed" if changes["status"] == Delivery.Status.FAILED else "",
        )


def _close(smtp):
    with contextlib.suppress(OSError, smtplib.SMTPException):  # it is being dropped anyway
        smtp.close()


def _server_closing(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code == SERVER_CLOSING for code, _ in error.recipients.values())
    return getattr(error, "smtp_code", None) == SERVER_CLOSING


def send(token, now=None):
    """Send what the claim ``token`` holds and is not sent yet; returns how many went out.

    A mail that cannot be built or is refused is counted as a failed attempt of
    that row alone (``_attempt_failed``) and the batch goes on. When the mail
    server cannot be reached, or drops the connection, the OSError propagates
    and the rows not yet sent stay in the claim, unmarked: the task retries the
    batch with the same token (or, after REMINDER_STALE_CLAIM_SECONDS, beat's
    next claim takes them over), so an outage delays every mail but counts
    against none. Only the message in flight when a connection broke is counted
    an attempt and put back with a delay: a message that itself makes the
    server hang up would otherwise stop its batch at every retry, for ever.
    """
    now = now or timezone.now()
    deliveries = (
        Delivery.objects.filter(claim_token=token, status=Delivery.Status.SENDING)
        .select_related("registration__event__venue", "registration__user__profile")
        .order_by("due_at", "pk")
    )
    sent = 0
    smtp = None
    shared = notifications.SharedParts()
    try:
        for delivery in deliveries:
            reason = _still_wanted(delivery, now)
            if reason:
                _skip(delivery, reason)
                continue
            try:
                message = notifications.build_delivery(delivery, shared)
            except DatabaseError:
                raise  # the database, not this mail
            except Exception as error:  # a template error, missing data: this mail only
                _attempt_failed(delivery, token, error, now)
                continue
            if smtp is None:
                # One connection for the whole batch: per-message logins would
                # halve throughput. Not reachable: the batch waits, nothing is counted.
                smtp = get_connection()
                smtp.open()
            message.connection = smtp
            try:
                # One transaction per message, marked "sent" before the message
                # leaves and committed after: the row stays locked meanwhile (a
                # takeover skips locked rows), a failed send rolls the mark back,
                # and a worker killed mid-send leaves the row to be sent again, so
                # only the message in flight can go twice.
                with transaction.atomic():
                    still_ours = _mark_sent(delivery.pk, token)
                    if not still_ours:
                        continue  # taken over by another worker after a stall
                    message.send()
            except REFUSED as error:
                if _server_closing(error):
                    raise  # smtplib has closed the connection; the batch is retried
                _attempt_failed(delivery, token, error, now)
                # smtplib reset the session, but a server that hung up after
                # refusing would fail the next mail: the next one reconnects.
                _close(smtp)
                smtp = None
            except (OSError, DatabaseError) as error:
                if isinstance(error, OSError):
                    _attempt_failed(delivery, token, error, now)  # the message in flight only
                raise
            except Exception as error:  # a header or an address that cannot be written
                _attempt_failed(delivery, token, error, now)
            else:
                sent += 1
    finally:
        if smtp is not None:
            _close(smtp)
    return sent


def send_due(now=None):
    """Plan, then claim and send batch after batch until nothing is due:
    what ``manage.py send_due_reminders`` runs (cron instead of beat)."""
    now = now or timezone.now()
    plan(now)
    total = 0
    while token := claim(now):
        total += send(token, now)
    return total


def queue_agenda_change(event, previous_number, new_number):
    """One notice per registration for a burst of publications: a notice not
    yet sent is pushed back and widened instead of followed by another."""
    due = timezone.now() + timedelta(minutes=settings.AGENDA_NOTICE_DELAY_MINUTES)
    registrations = Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
    waiting = Delivery.objects.filter(
        registration__in=registrations, kind=Delivery.Kind.AGENDA_CHANGE, status=Delivery.Status.PENDING
    )
    waiting_for = set(waiting.values_list("registration_id", flat=True))
    for delivery in waiting:
        delivery.payload = {**delivery.payload, "to": new_number}
        delivery.due_at = due
    Delivery.objects.bulk_update(waiting, ["payload", "due_at"])
    Delivery.objects.bulk_create(
        [
            Delivery(
                registration_id=registration_id,
                kind=Delivery.Kind.AGENDA_CHANGE,
                key=f"v{new_number}",
                due_at=due,
                payload={"from": previous_number, "to": new_number},
            )
            for registration_id in registrations.values_list("pk", flat=True)
            if registration_id not in waiting_for
        ],
        ignore_conflicts=True,
    )


def drop_for_cancelled_event(event):
    """Unsent reminders and notices go; everyone registered is told once."""
    Delivery.objects.filter(registration__event=event, status=Delivery.Status.PENDING).exclude(
        kind=Delivery.Kind.EVENT_CANCELLED
    ).update(status=Delivery.Status.SKIPPED, skip_reason="event cancelled")
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(registration_id=pk, kind=Delivery.Kind.EVENT_CANCELLED, key="cancelled", due_at=now)
            for pk in Registration.objects.filter(event=event, status__in=Registration.ACTIVE).values_list(
                "pk", flat=True
            )
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def send_organiser_message(event, author, subject, body, filters, registrations):
    """Record an organiser's message and one delivery per recipient, due now;
    the desk shows their progress."""
    message = OrganiserMessage.objects.create(
        event=event, subject=subject, body=body, filters=filters, created_by=author
    )
    now = timezone.now()
    rows = Delivery.objects.bulk_create(
        [
            Delivery(registration_id=pk, kind=Delivery.Kind.ORGANISER_MESSAGE, key=f"m{message.pk}", due_at=now)
            for pk in registrations.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    message.recipients = len(rows)
    message.save(update_fields=["recipients"])
    audit.record(
        author, "message.sent", event=event, obj=message,
        after={"subject": subject, "recipients": message.recipients, "filters": filters},
    )  # fmt: skip
    from .tasks import dispatch_due

    after_commit(dispatch_due)
    return message


def message_progress(message):
    counts = dict(
        Delivery.objects.filter(
            kind=Delivery.Kind.ORGANISER_MESSAGE, key=f"m{message.pk}", registration__event_id=message.event_id
        )
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {status: counts.get(status, 0) for status in Delivery.Status.values}


UNDELIVERED_SHOWN = 100


def undelivered(event):
    """The event's mails that failed, or failed at least once and wait to be
    tried again: what the desk shows organisers, most recent first."""
    return (
        Delivery.objects.filter(registration__event=event)
        .filter(Q(status=Delivery.Status.FAILED) | Q(status=Delivery.Status.PENDING, last_error__gt=""))
        .select_related("registration__user__profile")
        .order_by(F("failed_at").desc(nulls_last=True), "due_at", "pk")
    )


def try_again(delivery, *, actor):
    """An organiser's "Try again" on a failed mail: pending again, due now, with
    a full set of attempts, and handed to a worker after commit. Returns False
    when it was not failed (already tried again, say)."""
    from .tasks import send_now

    with transaction.atomic():
        again = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            failed_at=None,
            due_at=timezone.now(),
            claim_token="",
            claimed_at=None,
        )
        if again:
            audit.record(
                actor, "delivery.retried", event=delivery.registration.event_id, obj=delivery,
                before={"status": Delivery.Status.FAILED, "attempts": delivery.attempts},
                after={"status": Delivery.Status.PENDING, "attempts": 0},
                reason=delivery.last_error, label=f"{delivery.get_kind_display()} to {delivery.registration.user.email}",
            )  # fmt: skip
            logger.info(
                "%s asked to try delivery %s (%s to registration %s) again; it had failed: %s",
                actor,
                delivery.pk,
                delivery.kind,
                delivery.registration_id,
                delivery.last_error,
            )
            after_commit(send_now, [delivery.pk])
    return bool(again)


def _planned_starting_soon(now):
    """Deliveries for starred sessions that start within the next few minutes."""
    lead = timedelta(minutes=settings.STARTING_SOON_MINUTES)
    grace = timedelta(hours=settings.REMINDER_GRACE_HOURS)
    items = PublishedItem.objects.filter(
        version__event__current_version=F("version"),
        version__event__status=Event.Status.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + lead,
    ).values_list("uid", "starts_at", "version__event_id")
    rows = []
    for uid, starts_at, event_id in items:
        due = starts_at - lead
        if due < now - grace:
            continue
        stars = StarredItem.objects.filter(item_uid=uid, user__profile__starting_soon_reminders=True)
        seated = Registration.objects.filter(
            event_id=event_id, status__in=Registration.SEATED, user__in=stars.values("user")
        )
        rows += [
            Delivery(registration_id=pk, kind=Delivery.Kind.STARTING_SOON, key=str(uid), due_at=due)
            for pk in seated.values_list("pk", flat=True)
        ]
    return rows
