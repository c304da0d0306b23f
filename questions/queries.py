"""Read rules used by the register form, the participant's pages, the desk
and the mails."""

from django.utils import timezone

from registrations.models import Registration

from .models import Answer, Completion, FollowUpForm, Question


def register_questions(event, archived=False):
    """The register form's questions, in order (with the archived ones for
    reading answers)."""
    questions = Question.objects.filter(event=event, form__isnull=True)
    return questions if archived else questions.filter(archived_at__isnull=True)


def form_questions(form, archived=False):
    questions = Question.objects.filter(form=form)
    return questions if archived else questions.filter(archived_at__isnull=True)


def answers_by_registration(registration_ids, questions):
    """{registration pk: {question pk: Answer}} in one query."""
    found = {}
    by_pk = {question.pk: question for question in questions}
    answers = Answer.objects.filter(registration_id__in=registration_ids, question__in=list(by_pk))
    for answer in answers.only("registration_id", "question_id", "value"):
        answer.question = by_pk[answer.question_id]  # read by answer.text, without a query each
        found.setdefault(answer.registration_id, {})[answer.question_id] = answer
    return found


def venue_today(event, now=None):
    return (now or timezone.now()).astimezone(event.tz).date()


def is_open(form, now=None):
    """Whether the form can still be filled in or changed: until its due date, venue's day."""
    return venue_today(form.event, now) <= form.due_on


def forms_for(registration):
    """The event's follow-up forms with ``completed`` set for this person;
    none unless the registration holds a seat. Two queries."""
    if not registration.holds_seat:
        return []
    forms = list(FollowUpForm.objects.filter(event_id=registration.event_id))
    done = set(Completion.objects.filter(registration=registration, form__in=forms).values_list("form_id", flat=True))
    for form in forms:
        form.completed = form.pk in done
    return forms


def seated(event):
    return (
        Registration.objects.filter(event=event, status__in=Registration.SEATED)
        .select_related("user__profile")
        .order_by("user__profile__full_name", "pk")
    )
