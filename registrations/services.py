"""Every change of a registration's state, each one transaction.

Seats are allocated under a row lock on the event (``select_for_update``):
every function that can take or free a seat locks the event first, so checks
("is a seat free?") and writes happen as one step per event, and the waiting
list is served in order. Notifications are queued with ``on_commit`` so a mail
never announces a state that was rolled back.
"""

import dataclasses
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

import audit
from events.models import Event

from . import notifications
from .checkin import checkin_qr
from .models import ParticipantProfile, Registration

Status = Registration.Status
logger = logging.getLogger(__name__)


class RegistrationRefused(ValidationError):
    pass


def _locked_event(event):
    return Event.objects.select_for_update().get(pk=event.pk)


def _entry(actor, action, registration, before, reason=None, **after):
    """The audit log's entry for a change of ``registration``: ``before`` the
    values it had, ``after`` (default: its status) what it has now."""
    after = after or {"status": registration.status}
    return audit.entry(
        actor, action, event=registration.event_id, obj=registration, before=before, after=after,
        reason=registration.status_reason if reason is None else reason, label=registration.user.display_name,
    )  # fmt: skip


def _log(actor, action, registration, before, reason=None, **after):
    """Append the change of ``registration`` to the audit log (see _entry)."""
    _entry(actor, action, registration, before, reason, **after).save()


def _registration(registration):
    """The registration read again (its state may have changed while the caller
    waited for the lock), with its person for the log."""
    return Registration.objects.select_related("user__profile").get(pk=registration.pk)


def seats_taken(event):
    return Registration.objects.filter(event=event, status__in=Registration.SEATED).count()


def seats_free(event):
    """None when the event has no seat limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - seats_taken(event), 0)


def waiting_list(event):
    return Registration.objects.filter(event=event, status=Status.WAITLISTED).order_by("queued_at", "pk")


def registration_open(event, now=None):
    """None when registration is open, else why not, in words for the participant."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return "This event is cancelled; registration is closed."
    if event.status != Event.Status.PUBLISHED:
        return "This event is not open for registration."
    if event.ends_at <= now:
        return "This event has already taken place."
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = event.registration_opens_at.astimezone(event.tz)
        return f"Registration opens on {opens:%d %B %Y at %H:%M} ({event.venue.timezone})."
    if event.registration_closes_at and now >= event.registration_closes_at:
        return "Registration for this event has closed."
    return None


ANSWER_FIELDS = {
    "participation_type",
    "participation_mode",
    "sex",
    "email_in_participant_list",
    "economy",
    "organisation",
    "dietary_needs",
    "accessibility_needs",
    "invitation_letter",
    "passport_name",
    "nationality",
    "passport_number",
    "date_of_birth",
    "privacy_consent",
    "share_in_public_list",
}


def _answers_with_defaults(user, answers):
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise TypeError(f"Unknown registration answers: {', '.join(sorted(unknown))}")
    profile = ParticipantProfile.objects.filter(user=user).first()
    values = {
        "participation_type": Registration.ParticipationType.DELEGATE,
        "economy": profile.economy if profile else "",
        "organisation": profile.organisation if profile else "",
        "sex": profile.sex if profile else "",
    }
    values.update({key: value for key, value in answers.items() if value is not None})
    consent = values.pop("privacy_consent", True)
    values["privacy_consent_at"] = timezone.now() if consent else None
    if not values.get("invitation_letter"):
        for field in ("passport_name", "nationality", "passport_number"):
            values[field] = ""
        values["date_of_birth"] = None
    return values


_SELF = object()

# Other apps' reasons to refuse a registration (delegations/: participation
# types that only an economy's focal point may nominate), filled by their
# AppConfig.ready(), as registrations may not import them. Each is
# callable(event, user, actor, participation_type) -> the refusal in words, or
# None; called under the event's lock.
REFUSALS = []
# Other apps that follow organisers' decisions on registrations (delegations/:
# a nomination follows its registration approved, declined or moved on the
# Registrations page). Each is callable(registrations, actor, reason), called
# in the deciding transaction with the registrations whose status changed.
DECISION_FOLLOWERS = []


def _decided(registrations, actor, reason):
    for follow in DECISION_FOLLOWERS:
        follow(registrations, actor, reason)


def register(event, user, *, actor=_SELF, notify=True, **answers):
    """Register ``user`` for ``event`` and return the Registration: ``pending``
    when the participation type needs approval, ``confirmed`` while seats
    remain, ``waitlisted`` when full. Answers default from the profile. The
    actor is the person themself unless another is named (None: the system).
    ``notify=False``: the caller writes the person's mail itself (a
    nomination says who nominated them), so they get one, not two."""
    actor = user if actor is _SELF else actor
    values = _answers_with_defaults(user, answers)
    try:
        with transaction.atomic():
            event = _locked_event(event)
            refusal = registration_open(event)
            if refusal:
                raise RegistrationRefused(refusal, code="closed")
            for refuse in REFUSALS:
                if refusal := refuse(event, user, actor, values["participation_type"]):
                    raise RegistrationRefused(refusal, code="refused")
            existing = Registration.objects.filter(event=event, user=user).first()
            if existing is not None and existing.is_active:
                raise RegistrationRefused(
                    f"You are already registered for this event ({existing.get_status_display().lower()}).",
                    code="duplicate",
                )
            registration = existing or Registration(event=event, user=user)
            before = {"status": existing.status} if existing is not None else {}
            for field, value in values.items():
                setattr(registration, field, value)
            registration.queued_at = timezone.now()
            registration.status_reason = ""
            registration.checked_in_at = None
            if event.needs_approval(registration.participation_type):
                registration.status = Status.PENDING
            elif seats_free(event) != 0:
                registration.status = Status.CONFIRMED
            else:
                registration.status = Status.WAITLISTED
            # Field checks only: uniqueness is the database constraint's job, and
            # queries here would run while the event row is locked.
            registration.clean_fields(exclude=["event", "user", "checkin_code", "uid"])
            registration.save()
            if notify:
                notifications.queue(registration, registration.status)
            _log(
                actor, "registration.registered", registration, before,
                status=registration.status, participation_type=registration.participation_type,
            )  # fmt: skip
    except IntegrityError as error:
        # The unique constraint is the last line of defence against a double
        # submission that raced past the check above.
        raise RegistrationRefused("You are already registered for this event.", code="duplicate") from error
    # Drawn after the lock is released: other registrations need not wait for it.
    checkin_qr(registration)
    return registration


def _promote(event, actor):
    """Give every free seat to the waiting list, first come first served; the
    log names ``actor``, whose change freed the seats."""
    promoted = []
    free = seats_free(event)
    if free is None:
        candidates = waiting_list(event)
    elif free > 0:
        candidates = waiting_list(event)[:free]
    else:
        return promoted
    for registration in candidates.select_related("user__profile"):
        registration.status = Status.CONFIRMED
        registration.status_reason = "A seat became free."
        registration.save(update_fields=["status", "status_reason", "updated_at"])
        notifications.queue(registration, "promoted")
        _log(actor, "registration.promoted", registration, {"status": Status.WAITLISTED})
        promoted.append(registration)
    return promoted


@transaction.atomic
def cancel(registration, *, actor, reason=""):
    """Cancel a registration; a freed seat goes to the first on the waiting list."""
    event = _locked_event(registration.event)
    registration = _registration(registration)
    if registration.status in (Status.CANCELLED, Status.DECLINED):
        raise RegistrationRefused("This registration is already cancelled.")
    if registration.status == Status.ATTENDED:
        raise RegistrationRefused("Attendance has been recorded; this registration can no longer be cancelled.")
    before = {"status": registration.status}
    registration.status = Status.CANCELLED
    registration.status_reason = reason
    registration.save(update_fields=["status", "status_reason", "updated_at"])
    notifications.queue(registration, Status.CANCELLED)
    _log(actor, "registration.cancelled", registration, before)
    _promote(event, actor)
    return registration


@transaction.atomic
def approve(registration, *, actor, reason=""):
    """Approve a pending registration: a seat if one is free, else the waiting list."""
    event = _locked_event(registration.event)
    registration = _registration(registration)
    if registration.status != Status.PENDING:
        raise RegistrationRefused(f"Only pending registrations can be approved; this one is {registration.status}.")
    registration.status = Status.CONFIRMED if seats_free(event) != 0 else Status.WAITLISTED
    registration.status_reason = reason
    registration.queued_at = timezone.now()
    registration.save(update_fields=["status", "status_reason", "queued_at", "updated_at"])
    notifications.queue(registration, "approved" if registration.status == Status.CONFIRMED else Status.WAITLISTED)
    _log(actor, "registration.approved", registration, {"status": Status.PENDING})
    _decided([registration], actor, reason)
    return registration


@transaction.atomic
def decline(registration, reason, *, actor):
    event = _locked_event(registration.event)
    registration = _registration(registration)
    if registration.status in (Status.CANCELLED, Status.DECLINED, Status.ATTENDED):
        raise RegistrationRefused(f"A registration that is {registration.status} cannot be declined.")
    held_seat = registration.holds_seat
    before = {"status": registration.status}
    registration.status = Status.DECLINED
    registration.status_reason = reason
    registration.save(update_fields=["status", "status_reason", "updated_at"])
    notifications.queue(registration, Status.DECLINED)
    _log(actor, "registration.declined", registration, before)
    _decided([registration], actor, reason)
    if held_seat:
        _promote(event, actor)
    return registration


MOVABLE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.CANCELLED)


@transaction.atomic
def move(registration, to_status, reason, *, actor):
    """An organiser moves a registration between states, with a reason that the
    participant is told. Never overbooks: confirming needs a free seat."""
    if to_status not in MOVABLE:
        raise RegistrationRefused("Choose pending, confirmed, waitlisted or cancelled.")
    if not reason.strip():
        raise RegistrationRefused("Give a reason; the participant is told it.")
    event = _locked_event(registration.event)
    registration = _registration(registration)
    if registration.status == to_status:
        raise RegistrationRefused(f"This registration is already {to_status}.")
    if to_status == Status.CONFIRMED and not registration.holds_seat and seats_free(event) == 0:
        raise RegistrationRefused("No seat is free. Raise the capacity first, or move someone else off a seat.")
    held_seat = registration.holds_seat
    before = {"status": registration.status}
    registration.status = to_status
    registration.status_reason = reason
    registration.checked_in_at = None
    if to_status == Status.WAITLISTED:
        registration.queued_at = timezone.now()  # to the end of the queue
    registration.save()
    notifications.queue(registration, to_status)
    _log(actor, "registration.moved", registration, before)
    _decided([registration], actor, reason)
    if held_seat:
        _promote(event, actor)
    return registration


@transaction.atomic
def set_capacity(event, capacity, *, actor):
    """Raising capacity promotes waitlisted people. Lowering never takes a seat
    away: it is refused below the seats already taken, so confirmed ≤ capacity
    always holds."""
    if capacity is not None and capacity < 0:
        raise RegistrationRefused("Capacity cannot be negative.")
    event = _locked_event(event)
    taken = seats_taken(event)
    if capacity is not None and capacity < taken:
        raise RegistrationRefused(
            f"{taken} seats are already taken, so capacity cannot go below {taken}. "
            "Cancel or move registrations first if the room is smaller."
        )
    before = {"capacity": event.capacity}
    event.capacity = capacity
    event.save(update_fields=["capacity", "updated_at"])
    audit.record(actor, "event.capacity_changed", event=event, obj=event, before=before, after={"capacity": capacity})
    promoted = _promote(event, actor)
    return event, promoted


@transaction.atomic
def check_in(registration, *, actor, at=None):
    """Mark attendance, once, ``at`` a time (default: now; a scan sent late
    from a browser's queue gives the time it was made). Returns
    (registration, newly_checked_in)."""
    _locked_event(registration.event)
    registration = _registration(registration)
    if registration.status == Status.ATTENDED:
        return registration, False
    if registration.status != Status.CONFIRMED:
        raise RegistrationRefused(
            f"Only confirmed participants can be checked in; this registration is "
            f"{registration.get_status_display().lower()}."
        )
    registration.status = Status.ATTENDED
    registration.checked_in_at = at or timezone.now()
    registration.save(update_fields=["status", "checked_in_at", "updated_at"])
    _log(actor, "registration.checked_in", registration, {"status": Status.CONFIRMED}, reason="")
    return registration, True


def _holding_personal_data():
    """Registrations that still hold any of Registration.PERSONAL_DATA."""
    held = Q()
    for field, blank in Registration.PERSONAL_DATA.items():
        held |= Q(**{f"{field}__isnull": False}) if blank is None else ~Q(**{field: blank})
    return held


@transaction.atomic
def erase_personal_data(event, now=None, *, actor=None):
    """Erase the dietary and accessibility needs and passport details of every
    registration of ``event`` (whatever its status) and record when; returns
    how many registrations held any. Name, economy, organisation, status and
    attendance stay for the reports. Issued letters keep their number and
    date; re-downloading one is refused, as the details are gone."""
    now = now or timezone.now()
    _locked_event(event)  # as issue_letter does: no letter is issued halfway through
    erased = (
        Registration.objects.filter(event=event)
        .filter(_holding_personal_data())
        .update(**Registration.PERSONAL_DATA, personal_data_erased_at=now, updated_at=now)
    )
    if erased:
        # Which fields and how many; never the values (that is what was erased).
        audit.record(
            actor, "registration.personal_data_erased", event=event,
            after={"registrations": erased, "fields": sorted(Registration.PERSONAL_DATA)},
            reason=f"Retention period over ({settings.PERSONAL_DATA_RETENTION.days} days after the event).",
        )  # fmt: skip
    return erased


def erase_personal_data_of_past_events(now=None, dry_run=False, *, actor=None):
    """The one erasure rule, run daily by beat and by ``manage.py
    erase_personal_data`` alike: personal data of events that ended more than
    PERSONAL_DATA_RETENTION ago is erased. Returns [(event, registrations)],
    one pair per event that held any (what would be erased, with ``dry_run``);
    a second run finds nothing.

    Participant profiles hold no dietary, accessibility or passport answers
    (a registration prefills only economy and organisation from the profile),
    so nothing of the kind outlives the event there."""
    now = now or timezone.now()
    cutoff = now - settings.PERSONAL_DATA_RETENTION
    held = dict(
        Registration.objects.filter(event__ends_at__lt=cutoff)
        .filter(_holding_personal_data())
        .values("event")
        .annotate(count=Count("pk"))
        .values_list("event", "count")
    )
    erased = []
    for event in Event.objects.filter(pk__in=held).order_by("ends_at", "pk"):
        count = held[event.pk] if dry_run else erase_personal_data(event, now=now, actor=actor)
        if count:
            erased.append((event, count))
    total = sum(count for _, count in erased)
    logger.info(
        "Personal data %s: %d registration(s) of %d event(s) that ended before %s%s",
        "due for erasure (dry run)" if dry_run else "erased",
        total,
        len(erased),
        cutoff.isoformat(timespec="seconds"),
        "".join(f"; {event.slug}: {count}" for event, count in erased),
    )
    return erased


@transaction.atomic
def issue_letter(registration, *, actor):
    """The invitation letter of a registration: issued (numbered, logged) the
    first time, the same letter afterwards. Numbers run per event, under the
    event's row lock, and are never reused."""
    from .models import InvitationLetter

    event = _locked_event(registration.event)
    registration = Registration.objects.select_related("user__profile").get(pk=registration.pk)
    if not registration.invitation_letter:
        raise RegistrationRefused("No invitation letter was requested with this registration.")
    if not registration.holds_seat:
        raise RegistrationRefused("Invitation letters are issued once the registration is confirmed.")
    if not (registration.passport_name and registration.passport_number):
        raise RegistrationRefused("The passport details for the letter are missing (or were erased after the event).")
    existing = registration.letters.order_by("-number").first()
    if existing is not None:
        return existing
    last = InvitationLetter.objects.filter(event=event).order_by("-number").values_list("number", flat=True).first()
    letter = InvitationLetter.objects.create(
        event=event,
        registration=registration,
        number=(last or 0) + 1,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _log(actor, "registration.letter_issued", registration, {}, reason="", letter=letter.number)
    return letter


# Decisions on many registrations at once (the desk's bulk actions) and the
# organiser's override of the waiting list. One lock of the event per batch.

BULK_ACTIONS = ("approve", "decline", "move")
BULK_LOG_ACTIONS = {
    "approve": "registration.approved",
    "decline": "registration.declined",
    "move": "registration.moved",
}


class WouldWaitlist(RegistrationRefused):
    """Approving the chosen registrations would put some of them on the
    waiting list: raised, with the counts, when the caller asked to be told
    first (``waitlist_if_full=False``). Decided under the event's lock, so the
    warning is exact."""

    def __init__(self, pending, free):
        self.pending, self.free, self.waitlisted = pending, free, pending - free
        super().__init__(
            f"The event is full: {free} seat{'s' if free != 1 else ''} free for {pending} approval"
            f"{'s' if pending != 1 else ''}, so {pending - free} would go on the waiting list.",
            code="full",
        )


@dataclasses.dataclass
class BulkOutcome:
    """What a batch did: each registration changed, with its new status; each
    one left alone, with why; how many chosen ones were not of this event; who
    was given a freed seat."""

    action: str
    to_status: str = ""
    changed: list = dataclasses.field(default_factory=list)
    skipped: list = dataclasses.field(default_factory=list)
    missing: int = 0
    promoted: list = dataclasses.field(default_factory=list)

    def count(self, status):
        return sum(1 for _, new in self.changed if new == status)

    def summary(self):
        parts = []
        if self.action == "approve":
            approved, waitlisted = self.count(Status.CONFIRMED), self.count(Status.WAITLISTED)
            parts.append(f"{approved} approved")
            if waitlisted:
                parts.append(f"{waitlisted} waitlisted because the event is full")
        elif self.action == "decline":
            parts.append(f"{len(self.changed)} declined")
        else:
            parts.append(f"{len(self.changed)} moved to {Status(self.to_status).label.lower()}")
        if self.skipped:
            parts.append(f"{len(self.skipped)} left as {'they were' if len(self.skipped) != 1 else 'it was'}")
        text = ", ".join(parts) + "."
        if self.missing:
            text += (
                f" {self.missing} of the chosen registrations {'are' if self.missing != 1 else 'is'} not"
                " of this event and were left alone."
            )
        if self.promoted:
            text += f" {len(self.promoted)} from the waiting list took the freed seat{'s' if len(self.promoted) != 1 else ''}."
        return text


def _bulk_approve(rows, free, reason, now, outcome, mails, waitlist_if_full):
    pending = [registration for registration in rows if registration.status == Status.PENDING]
    if not waitlist_if_full and free is not None and len(pending) > free:
        raise WouldWaitlist(len(pending), free)
    for registration in rows:
        if registration.status != Status.PENDING:
            outcome.skipped.append((registration, f"it is {registration.get_status_display().lower()}, not pending"))
            continue
        seat = free is None or free > 0
        if seat and free is not None:
            free -= 1
        registration.status = Status.CONFIRMED if seat else Status.WAITLISTED
        registration.status_reason = reason
        registration.queued_at = now
        mails.append((registration, "approved" if seat else Status.WAITLISTED))
        outcome.changed.append((registration, registration.status))
    return False


def _bulk_decline(rows, reason, outcome, mails):
    freed = False
    for registration in rows:
        if registration.status in (Status.CANCELLED, Status.DECLINED, Status.ATTENDED):
            outcome.skipped.append((registration, f"it is {registration.get_status_display().lower()}"))
            continue
        freed |= registration.holds_seat
        registration.status = Status.DECLINED
        registration.status_reason = reason
        mails.append((registration, Status.DECLINED))
        outcome.changed.append((registration, Status.DECLINED))
    return freed


def _bulk_move(rows, to_status, free, reason, now, outcome, mails):
    freed = False
    for registration in rows:
        if registration.status == to_status:
            outcome.skipped.append((registration, f"it is already {registration.get_status_display().lower()}"))
            continue
        if to_status == Status.CONFIRMED and not registration.holds_seat:
            if free == 0:
                outcome.skipped.append((registration, "no seat was free"))
                continue
            if free is not None:
                free -= 1
        freed |= registration.holds_seat and to_status != Status.CONFIRMED
        registration.status = to_status
        registration.status_reason = reason
        registration.checked_in_at = None
        if to_status == Status.WAITLISTED:
            registration.queued_at = now  # to the end of the queue
        mails.append((registration, to_status))
        outcome.changed.append((registration, to_status))
    return freed


def decide_many(event, uids, action, *, actor, reason="", to_status=None, waitlist_if_full=True):
    """Approve, decline or move the registrations of ``event`` named by
    ``uids`` (others are counted as missing and left alone), with one reason
    for all, under one lock of the event row for the whole batch; returns a
    ``BulkOutcome``. Approvals take the free seats in queue order and put the
    rest on the waiting list, or, with ``waitlist_if_full=False``, raise
    ``WouldWaitlist`` and change nothing. Seats freed by declines and moves go
    to the waiting list once, at the end."""
    if action not in BULK_ACTIONS:
        raise RegistrationRefused("Choose approve, decline or move.")
    if action == "move":
        if to_status not in MOVABLE:
            raise RegistrationRefused("Choose pending, confirmed, waitlisted or cancelled.")
        if not reason.strip():
            raise RegistrationRefused("Give a reason; the participants are told it.")
    uids = {str(uid) for uid in uids}
    outcome = BulkOutcome(action=action, to_status=to_status or "")
    with transaction.atomic():
        event = _locked_event(event)
        rows = list(
            Registration.objects.filter(event=event, uid__in=uids)
            .select_related("user__profile")
            .order_by("queued_at", "pk")
        )
        outcome.missing = len(uids) - len(rows)
        before = {registration.pk: registration.status for registration in rows}
        now = timezone.now()
        mails = []
        if action == "approve":
            freed = _bulk_approve(rows, seats_free(event), reason, now, outcome, mails, waitlist_if_full)
        elif action == "decline":
            freed = _bulk_decline(rows, reason, outcome, mails)
        else:
            freed = _bulk_move(rows, to_status, seats_free(event), reason, now, outcome, mails)
        changed = [registration for registration, _ in outcome.changed]
        for registration in changed:
            registration.updated_at = now
        Registration.objects.bulk_update(
            changed, ["status", "status_reason", "queued_at", "checked_in_at", "updated_at"], batch_size=500
        )
        notifications.queue_many(mails)
        # One insert for the batch's log entries, as for the rows themselves.
        audit.record_many(
            [
                _entry(actor, BULK_LOG_ACTIONS[action], registration, {"status": before[registration.pk]})
                for registration in changed
            ]
        )
        _decided(changed, actor, reason)
        if freed:
            outcome.promoted = _promote(event, actor)
    logger.info("Bulk %s on %s: %s", action, event.slug, outcome.summary())
    return outcome


@transaction.atomic
def seat_above_capacity(registration, *, actor, reason):
    """An organiser's explicit override: seat a chosen person from the waiting
    list although no seat is free (raising the capacity would seat whoever is
    first). Needs a reason, which the person is told; logged."""
    if not reason.strip():
        raise RegistrationRefused("Give a reason for seating this person above capacity.")
    event = _locked_event(registration.event)
    registration = _registration(registration)
    if registration.status != Status.WAITLISTED:
        raise RegistrationRefused(
            f"Only someone on the waiting list can be seated this way; this registration is "
            f"{registration.get_status_display().lower()}."
        )
    taken = seats_taken(event)
    registration.status = Status.CONFIRMED
    registration.status_reason = reason
    registration.save(update_fields=["status", "status_reason", "updated_at"])
    notifications.queue(registration, "approved")
    _log(
        actor, "registration.seated_over_capacity", registration, {"status": Status.WAITLISTED},
        status=Status.CONFIRMED, seats_taken=taken + 1, capacity=event.capacity,
    )  # fmt: skip
    return registration


@transaction.atomic
def set_funding(registration, funding, *, actor, reason=""):
    """An organiser records how a participant is funded (the completion
    report counts participants by funding); logged with before and after.
    Setting the funding it already has changes and logs nothing."""
    if funding not in Registration.Funding.values:
        raise RegistrationRefused(f"Unknown funding {funding!r}: choose self-funded or one of the APEC-funded kinds.")
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("user__profile").get(pk=registration.pk)
    )
    if registration.funding == funding:
        return registration
    before = {"funding": registration.funding}
    registration.funding = funding
    registration.save(update_fields=["funding", "updated_at"])
    _log(actor, "registration.funding_set", registration, before, reason=reason, funding=funding)
    return registration
