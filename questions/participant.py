"""What questions add to the registrations app's pages, register form and
export, through registrations/hooks.py (registered by QuestionsConfig.ready())."""

from django.template.loader import render_to_string

from . import queries, services
from .forms import REQUIRED, build_field, field_name, to_value


def answered(registration, questions):
    """[(question, answer text)] of the questions this person answered."""
    answers = queries.answers_by_registration([registration.pk], questions).get(registration.pk, {})
    return [(q, answers[q.pk].text) for q in questions if q.pk in answers]


def registration_section(request, registration):
    """The participant's answers and follow-up forms on their registration page."""
    rows = answered(registration, list(queries.register_questions(registration.event, archived=True)))
    forms = queries.forms_for(registration)
    if not rows and not forms:
        return ""
    context = {"registration": registration, "rows": rows, "forms": forms}
    return render_to_string("questions/_registration_section.html", context, request=request)


class RegisterQuestions:
    """The event's questions on the register form: every question is a field
    (optional at field level, so a question for delegates does not block a
    speaker), and clean() asks for the required ones of the chosen type only."""

    def fields(self, event):
        return {
            field_name(q): build_field(q, required=False, for_types_label=True)
            for q in queries.register_questions(event)
        }

    def _questions(self, form):
        if not hasattr(form, "_register_questions"):
            form._register_questions = list(queries.register_questions(form.event))
        return form._register_questions

    def clean(self, form, cleaned_data):
        chosen = cleaned_data.get("participation_type")
        for question in self._questions(form):
            name = field_name(question)
            if not question.asked_of(chosen):
                # Asked of another type: whatever was typed is not kept.
                form._errors.pop(name, None)
                cleaned_data[name] = None
            elif question.required and name not in form._errors and cleaned_data.get(name) in (None, "", []):
                form.add_error(name, REQUIRED)

    def save(self, form, registration, actor):
        values = {
            q: to_value(q, form.cleaned_data.get(field_name(q)))
            for q in self._questions(form)
            if q.asked_of(registration.participation_type)
        }
        services.save_register_answers(registration, {q: v for q, v in values.items() if v is not None}, actor=actor)


REGISTER_QUESTIONS = RegisterQuestions()


def export_columns(registrations):
    """One column per register question (archived ones too, their answers
    kept); one query for the questions and one for every answer."""
    if not registrations:
        return []
    event_id = registrations[0].event_id
    questions = list(queries.register_questions(event_id, archived=True))
    if not questions:
        return []
    answers = queries.answers_by_registration([r.pk for r in registrations], questions)

    def reader(question):
        def read(registration):
            answer = answers.get(registration.pk, {}).get(question.pk)
            return answer.text if answer else ""

        return read

    return [(q.label, reader(q)) for q in questions]


def all_answers(registration):
    """The register answers for the desk's registration page."""
    return answered(registration, list(queries.register_questions(registration.event_id, archived=True)))
