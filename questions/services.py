"""Every change to questions, follow-up forms and answers: one transaction
each, logged with its actor."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

import audit

from . import queries
from .models import Answer, Completion, FollowUpForm, Question

QUESTION_FIELDS = ("kind", "label", "help_text", "required", "choices", "participation_types")


class QuestionRefused(Exception):
    pass


def _state(question):
    return {name: getattr(question, name) for name in QUESTION_FIELDS}


@transaction.atomic
def add_question(event, *, actor, form=None, **fields):
    last = Question.objects.filter(event=event, form=form).aggregate(last=Max("position"))["last"]
    question = Question.objects.create(event=event, form=form, position=(last or 0) + 1, **fields)
    audit.log.record(actor, "question.added", event=event, obj=question, after=_state(question))
    return question


@transaction.atomic
def change_question(question, *, actor, **fields):
    """Label, help, required-ness, choices and whom it is asked of change
    freely: answers are kept as given (a removed choice shows as no longer
    offered). The kind does not change once answered: the answers would not fit it."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if fields.get("kind", question.kind) != question.kind and question.answers.exists():
        raise QuestionRefused(
            "This question has answers, so its kind cannot change. Add a new question of the other kind instead."
        )
    before = _state(question)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    audit.log.record(actor, "question.changed", event=question.event_id, obj=question, before=before, after=fields)
    return question


@transaction.atomic
def remove_question(question, *, actor):
    """Deleted when nobody answered it, else archived so the answers stay."""
    if question.answers.exists():
        question.archived_at = timezone.now()
        question.save(update_fields=["archived_at"])
        audit.log.record(actor, "question.archived", event=question.event_id, obj=question)
        return "archived"
    audit.log.record(actor, "question.removed", event=question.event_id, obj=question, before=_state(question))
    question.delete()
    return "removed"


@transaction.atomic
def move_question(question, direction, *, actor):
    siblings = list(
        Question.objects.select_for_update().filter(
            event_id=question.event_id, form_id=question.form_id, archived_at=None
        )
    )
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    Question.objects.bulk_update(siblings, ["position"])
    audit.log.record(actor, "question.moved", event=question.event_id, obj=question, after={"direction": direction})


def _save_answers(registration, values):
    """Write the given {question: value}; None deletes that answer."""
    keep = {question.pk: value for question, value in values.items() if value is not None}
    Answer.objects.filter(registration=registration, question__in=[q.pk for q in values]).exclude(
        question__in=list(keep)
    ).delete()
    existing = {a.question_id: a for a in Answer.objects.filter(registration=registration, question__in=list(keep))}
    changed = []
    for pk, value in keep.items():
        if pk in existing:
            existing[pk].value = value
            changed.append(existing[pk])
    if changed:
        Answer.objects.bulk_update(changed, ["value", "updated_at"])
    Answer.objects.bulk_create(
        [Answer(registration=registration, question_id=pk, value=v) for pk, v in keep.items() if pk not in existing]
    )
    return {str(question.pk): value for question, value in values.items()}


def save_register_answers(registration, values, *, actor):
    """The register form's answers, in the registration's own transaction."""
    if not values:
        return
    after = _save_answers(registration, values)
    audit.log.record(actor, "question.answered", event=registration.event_id, obj=registration, after=after)


class FormClosed(Exception):
    pass


@transaction.atomic
def complete_form(form, registration, values, *, actor, now=None):
    """A seated participant's answers to a follow-up form, until its due date."""
    if not registration.holds_seat:
        raise FormClosed("This form is only for participants with a confirmed place.")
    if not queries.is_open(form, now):
        raise FormClosed(f"This form closed on {form.due_on:%-d %B %Y}; please write to the organisers.")
    after = _save_answers(registration, values)
    completion, created = Completion.objects.get_or_create(
        form=form, registration=registration, defaults={"completed_at": now or timezone.now()}
    )
    if not created:
        completion.completed_at = now or timezone.now()
        completion.save(update_fields=["completed_at"])
    audit.log.record(actor, "followup.completed", event=form.event_id, obj=registration, after=after, label=form.title)
    return completion


FORM_FIELDS = ("title", "introduction", "due_on", "reminder_days_before")


@transaction.atomic
def save_followup_form(event, *, actor, form=None, **fields):
    if form is None:
        form = FollowUpForm.objects.create(event=event, **fields)
        audit.log.record(actor, "followup.created", event=event, obj=form, after={k: str(v) for k, v in fields.items()})
        return form
    before = {name: str(getattr(form, name)) for name in FORM_FIELDS}
    for name, value in fields.items():
        setattr(form, name, value)
    form.save()
    after = {k: str(v) for k, v in fields.items()}
    audit.log.record(actor, "followup.changed", event=event, obj=form, before=before, after=after)
    return form
