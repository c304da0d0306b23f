"""Every write of the evaluation app: building a survey, opening it (the
invitations go out through the delivery ledger), the reminders to those who
have not answered, answering, closing. Each is one transaction that takes the
acting user (None for beat) and appends to the audit log.

Anonymous surveys: a Response has no person, no time and a random key, the
Invitation records only that its person has answered, and answering an
anonymous survey writes nothing to the audit log (an entry naming the person
with a time would be the very link the survey promises not to keep)."""

import calendar
import contextlib
import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

import audit
from ops.dispatch import after_commit
from registrations.models import Delivery

from . import queries, standard
from .models import Answer, Invitation, Question, Response, Survey

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4000  # characters of one free-text answer
CHOICES_LIMIT = 20
OPEN_FOR = timedelta(days=28)  # how long a survey stays open unless the organisers say otherwise
DEFAULT_REMINDER_DAYS = [7, 14]
MAX_REMINDERS = 2


class SurveyError(Exception):
    """A request the rules refuse; its text is shown to the person as it is."""


class AlreadyAnswered(SurveyError):
    pass


def add_months(moment, months):
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def months_after_end(event, months):
    """The venue's wall-clock time ``months`` after the event ends (the same
    day and hour, whatever daylight saving did meanwhile)."""
    local = event.ends_at.astimezone(event.tz).replace(tzinfo=None)
    return add_months(local, months).replace(tzinfo=event.tz)


def default_opens_at(event, kind, months=12):
    return event.ends_at if kind == Survey.Kind.EVALUATION else months_after_end(event, months)


def _editable(survey):
    """The survey, locked, if its questions may still change."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise SurveyError(
            f"This survey is {survey.get_status_display().lower()}: its questions are frozen, so that every "
            "answer is to the same questions."
        )
    if survey.scheduled:
        raise SurveyError("This survey is scheduled to open: stop the schedule to change it.")
    return survey


@transaction.atomic
def create_survey(event, kind, actor, *, title="", anonymous=True, months=12, with_standard=True, **extra):
    """A draft survey of the event, with the standard questions unless
    ``with_standard`` is false. An event has at most one of each kind."""
    opens_at = extra.pop("opens_at", None) or default_opens_at(event, kind, months)
    survey = Survey(
        event=event,
        kind=kind,
        title=title or f"{Survey.Kind(kind).label}: {event.title}",
        anonymous=anonymous,
        opens_at=opens_at,
        closes_at=extra.pop("closes_at", None) or opens_at + OPEN_FOR,
        reminder_days=extra.pop("reminder_days", DEFAULT_REMINDER_DAYS),
        follow_up_months=months,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **extra,
    )
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:
        label = Survey.Kind(kind).label.lower()
        raise SurveyError(f"This event already has {'an' if label[0] in 'aeiou' else 'a'} {label}.") from None
    if with_standard:
        _add_standard(survey)
    audit.record(
        actor, "survey.created", event=event, obj=survey,
        after={"kind": kind, "anonymous": anonymous, "opens_at": survey.opens_at},
    )  # fmt: skip
    return survey


def create_follow_up(event, actor=None, months=12, **extra):
    """The follow-up survey of the event, opening ``months`` after it ends."""
    return create_survey(event, Survey.Kind.FOLLOW_UP, actor, months=months, **extra)


def _add_standard(survey):
    present = set(survey.questions.exclude(standard_key="").values_list("standard_key", flat=True))
    start = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    rows = [row for row in standard.standard_set(survey.kind) if row["standard_key"] not in present]
    Question.objects.bulk_create(Question(survey=survey, position=start + n, **row) for n, row in enumerate(rows))
    return len(rows)


@transaction.atomic
def add_standard_questions(survey, actor):
    """The standard questions the draft does not have yet; returns how many."""
    survey = _editable(survey)
    added = _add_standard(survey)
    if added:
        audit.record(actor, "survey.standard_added", event=survey.event_id, obj=survey, after={"questions": added})
    return added


SETTINGS = ("title", "introduction", "anonymous", "opens_at", "closes_at", "reminder_days", "follow_up_months")


@transaction.atomic
def update_survey(survey, actor, **changes):
    survey = _editable(survey)
    before = {name: getattr(survey, name) for name in changes}
    for name, value in changes.items():
        if name not in SETTINGS:
            raise ValueError(name)
        setattr(survey, name, value)
    survey.save(update_fields=list(changes))
    audit.record(actor, "survey.changed", event=survey.event_id, obj=survey, before=before, after=changes)
    return survey


QUESTION_FIELDS = ("kind", "text", "help_text", "choices", "required", "per_session")


@transaction.atomic
def add_question(survey, actor, **fields):
    survey = _editable(survey)
    position = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question = Question.objects.create(survey=survey, position=position, **_question_fields(fields))
    audit.record(actor, "survey.question_added", event=survey.event_id, obj=survey, after={"question": question.text})
    return question


@transaction.atomic
def edit_question(question, actor, **fields):
    _editable(question.survey)
    fields = _question_fields(fields)
    before = {name: getattr(question, name) for name in fields}
    for name, value in fields.items():
        setattr(question, name, value)
    question.save(update_fields=list(fields))
    audit.record(
        actor, "survey.question_changed", event=question.survey.event_id, obj=question.survey,
        before=before, after=fields,
    )  # fmt: skip
    return question


@transaction.atomic
def remove_question(question, actor):
    _editable(question.survey)
    question.delete()
    audit.record(
        actor, "survey.question_removed", event=question.survey.event_id, obj=question.survey,
        before={"question": question.text},
    )  # fmt: skip


@transaction.atomic
def move_question(question, actor, up):
    """Swap the question with the one before it (``up``) or after it."""
    survey = _editable(question.survey)
    order = list(survey.questions.order_by("position", "pk"))
    index = next(n for n, other in enumerate(order) if other.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(order):
        return False
    order[index], order[other] = order[other], order[index]
    for position, row in enumerate(order, start=1):
        row.position = position
    Question.objects.bulk_update(order, ["position"])
    return True


def _question_fields(fields):
    fields = {name: value for name, value in fields.items() if name in QUESTION_FIELDS}
    kind = fields.get("kind")
    if kind is not None and kind not in Question.Kind.values:
        raise SurveyError("Choose the kind of question: scale, one choice or free text.")
    if not str(fields.get("text", "x")).strip():
        raise SurveyError("Write the question.")
    if kind == Question.Kind.CHOICE:
        choices = [choice.strip() for choice in fields.get("choices") or [] if choice.strip()]
        if len(choices) < 2:
            raise SurveyError("A choice question needs at least two options, one per line.")
        if len(choices) > CHOICES_LIMIT or len(set(choices)) != len(choices):
            raise SurveyError(f"Give at most {CHOICES_LIMIT} options, each once.")
        fields["choices"] = choices
    elif kind is not None:
        fields["choices"] = []
    return fields


def _check_can_open(survey, now):
    if not survey.questions.exists():
        raise SurveyError("Add at least one question before opening the survey.")
    if survey.kind == Survey.Kind.EVALUATION and now < survey.event.ends_at:
        raise SurveyError("An evaluation opens only after the event has ended.")
    if survey.closes_at <= now:
        raise SurveyError("Its closing date has passed: set a later one first.")


@transaction.atomic
def open_survey(survey, actor=None, now=None, dispatch=True):
    """Open the survey now: an invitation for each participant and their
    invitation mail, due now, in the same transaction. Returns how many were
    invited. ``dispatch``: hand the mails to a worker after commit (the
    ledger's own planning, which sends what it planned, passes False)."""
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().select_related("event").get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise SurveyError(f"This survey is already {survey.get_status_display().lower()}.")
    _check_can_open(survey, now)
    survey.status, survey.scheduled, survey.opens_at = Survey.Status.OPEN, False, now
    survey.save(update_fields=["status", "scheduled", "opens_at"])
    registrations = list(queries.participants_of(survey).values_list("pk", flat=True))
    Invitation.objects.bulk_create(
        [Invitation(survey=survey, registration_id=pk) for pk in registrations], ignore_conflicts=True
    )
    Delivery.objects.bulk_create(
        [
            Delivery(registration_id=pk, kind=Delivery.Kind.SURVEY_INVITATION, key=str(survey.pk), due_at=now)
            for pk in registrations
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    audit.record(actor, "survey.opened", event=survey.event, obj=survey, after={"invited": len(registrations)})
    if dispatch:
        from registrations.tasks import dispatch_due

        after_commit(dispatch_due)
    return len(registrations)


@transaction.atomic
def schedule_survey(survey, actor, now=None):
    """The draft opens by itself at its opening time (beat's open_due_surveys)."""
    now = now or timezone.now()
    survey = _editable(survey)
    if survey.opens_at <= now:
        raise SurveyError("Its opening time has passed: open it now instead, or set a later opening time.")
    if survey.kind == Survey.Kind.EVALUATION and survey.opens_at < survey.event.ends_at:
        raise SurveyError("An evaluation opens only after the event has ended: set its opening time after the end.")
    _check_can_open(survey, survey.opens_at)
    survey.scheduled = True
    survey.save(update_fields=["scheduled"])
    audit.record(actor, "survey.scheduled", event=survey.event_id, obj=survey, after={"opens_at": survey.opens_at})
    return survey


@transaction.atomic
def unschedule_survey(survey, actor):
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT or not survey.scheduled:
        raise SurveyError("This survey is not waiting to open.")
    survey.scheduled = False
    survey.save(update_fields=["scheduled"])
    audit.record(actor, "survey.unscheduled", event=survey.event_id, obj=survey)
    return survey


@transaction.atomic
def close_survey(survey, actor=None, reason=""):
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise SurveyError("Only an open survey can be closed.")
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    audit.record(actor, "survey.closed", event=survey.event_id, obj=survey, reason=reason)
    return survey


def open_due_surveys(now=None):
    """Open the scheduled surveys whose time has come and close the open ones
    whose closing time has passed (beat, and send_due_reminders through the
    ledger's planners). Returns how many opened."""
    now = now or timezone.now()
    opened = 0
    for survey in Survey.objects.filter(status=Survey.Status.DRAFT, scheduled=True, opens_at__lte=now):
        try:
            open_survey(survey, actor=None, now=now, dispatch=False)
            opened += 1
        except SurveyError as error:
            logger.warning("Survey %s could not open as scheduled: %s", survey.pk, error)
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, closes_at__lte=now):
        with contextlib.suppress(SurveyError):  # an organiser closed it meanwhile
            close_survey(survey, reason="closing time reached")
    return opened


def planned_reminders(now):
    """Unsaved reminder deliveries that have fallen due: for each reminder day
    of each open survey, one to each invitee who has not answered and has not
    had that reminder (the unique key of the row makes a second one impossible
    anyway). Opens and closes what is due first."""
    open_due_surveys(now)
    rows = []
    surveys = Survey.objects.filter(status=Survey.Status.OPEN, closes_at__gt=now).only(
        "pk", "opens_at", "reminder_days"
    )
    for survey in surveys:
        for days in survey.reminder_days or []:
            due = survey.opens_at + timedelta(days=days)
            if due > now:
                continue
            key = f"{survey.pk}:{days}"
            had = Delivery.objects.filter(
                registration_id=OuterRef("registration_id"), kind=Delivery.Kind.SURVEY_REMINDER, key=key
            )
            waiting = Invitation.objects.filter(survey=survey, answered=False).exclude(Exists(had))
            rows += [
                Delivery(registration_id=pk, kind=Delivery.Kind.SURVEY_REMINDER, key=key, due_at=due)
                for pk in waiting.values_list("registration_id", flat=True)
            ]
    return rows


def submit(invitation, answers, now=None):
    """Record one person's answers: ``answers`` is a list of
    (question, session uid or None, value) as the answer form cleaned them.
    One response per invitation, decided under a lock on the invitation, so
    two submissions at once give one response and one AlreadyAnswered."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("survey", "registration__user").get(pk=invitation.pk)
        )
        survey = invitation.survey
        if invitation.answered:
            raise AlreadyAnswered("You have already answered this survey. Thank you!")
        if survey.status != Survey.Status.OPEN or survey.closes_at <= now:
            raise SurveyError("This survey is closed.")
        rows = _answer_rows(survey, answers)
        response = Response.objects.create(
            survey=survey, registration=None if survey.anonymous else invitation.registration
        )
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        invitation.answered = True
        invitation.answered_at = None if survey.anonymous else now
        invitation.save(update_fields=["answered", "answered_at"])
        if not survey.anonymous:
            audit.record(
                invitation.registration.user, "survey.answered", event=survey.event_id, obj=survey,
                label=f"{survey.title}: {invitation.registration.user.email}",
            )  # fmt: skip
    return response


def _answer_rows(survey, answers):
    """The Answer rows of ``answers``, checked again here whoever called: a
    scale from 1 to 5, a choice among the options, text within the limit."""
    rows = []
    for question, item_uid, value in answers:
        if question.survey_id != survey.pk:
            raise SurveyError("An answer is to a question of another survey.")
        if value in (None, ""):
            continue
        row = Answer(question=question, item_uid=item_uid)
        if question.kind == Question.Kind.SCALE:
            if int(value) not in range(1, 6):
                raise SurveyError("A rating is a number from 1 to 5.")
            row.scale = int(value)
        elif question.kind == Question.Kind.CHOICE:
            if value not in question.choices:
                raise SurveyError("Choose one of the options given.")
            row.choice = value
        else:
            if len(value) > TEXT_LIMIT:
                raise SurveyError(f"An answer may be at most {TEXT_LIMIT} characters long.")
            row.text = value
        rows.append(row)
    return rows
