"""Django form fields built from an organiser's questions, and the desk's
forms that shape them."""

from datetime import date

from django import forms

from events.participation import ParticipationType

from .models import FollowUpForm, Question

REQUIRED = "Please answer this question."
YES_NO = [("yes", "Yes"), ("no", "No")]


def field_name(question):
    return f"question_{question.pk}"


def build_field(question, *, required, for_types_label=False):
    """A form field asking ``question``. ``for_types_label``: the register
    form, where the field shows for everyone without JavaScript and its label
    says whom it is for."""
    label = question.label
    attrs = {}
    if for_types_label and question.participation_types:
        label = f"{label} (for {question.types_label} only)"
        # Read by static/js/question-types.js to show it for those types only.
        attrs["data-question-for"] = " ".join(question.participation_types)
    field = _field(question, {"label": label, "help_text": question.help_text, "required": required})
    field.widget.attrs.update(attrs)
    return field


def _field(question, common):
    errors = {"required": REQUIRED, "invalid_choice": "Choose one of the options offered."}
    kind = question.kind
    if kind == Question.Kind.SHORT_TEXT:
        return forms.CharField(max_length=200, error_messages=errors, **common)
    if kind == Question.Kind.LONG_TEXT:
        return forms.CharField(
            max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), error_messages=errors, **common
        )
    if kind == Question.Kind.CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, error_messages=errors, **common
        )
    if kind == Question.Kind.MULTIPLE_CHOICE:
        errors["invalid_choice"] = "Choose only among the options offered."
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            error_messages=errors,
            **common,
        )
    if kind == Question.Kind.YES_NO:
        errors["invalid_choice"] = "Choose yes or no."
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, error_messages=errors, **common)
    errors["invalid"] = "Enter a date as YYYY-MM-DD, for example 2026-03-03."
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), error_messages=errors, **common
    )


def to_value(question, cleaned):
    """A cleaned field value as stored in Answer.value, or None for no answer."""
    if cleaned in (None, "", []):
        return None
    if question.kind == Question.Kind.YES_NO:
        return cleaned == "yes"
    if isinstance(cleaned, date):
        return cleaned.isoformat()
    return cleaned


def to_initial(question, value):
    if question.kind == Question.Kind.YES_NO and value is not None:
        return "yes" if value else "no"
    return value


class AnswersForm(forms.Form):
    """A follow-up form's questions, as one person fills them in."""

    def __init__(self, *args, questions, participation_type, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.questions = [q for q in questions if q.asked_of(participation_type)]
        for question in self.questions:
            self.fields[field_name(question)] = build_field(question, required=question.required)
            if question.pk in answers:
                self.initial[field_name(question)] = to_initial(question, answers[question.pk].value)

    def values(self):
        return {q: to_value(q, self.cleaned_data.get(field_name(q))) for q in self.questions}


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line; only for “One choice” and “Several choices”.",
    )
    participation_types = forms.MultipleChoiceField(
        label="Asked of",
        choices=ParticipationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to ask everyone.",
        error_messages={"invalid_choice": "Choose among the participation types listed."},
    )

    class Meta:
        model = Question
        fields = ["kind", "label", "help_text", "required", "choices", "participation_types"]
        labels = {"label": "Question", "required": "An answer is required"}
        error_messages = {"kind": {"invalid_choice": "Choose one of the kinds of question listed."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "— choose —"), *Question.Kind.choices]
        if self.instance.pk:
            self.initial["choices"] = "\n".join(self.instance.choices)

    def clean_choices(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["choices"].splitlines()]
        choices = [line for line in lines if line]
        if len(set(choices)) != len(choices):
            raise forms.ValidationError("Each choice may appear only once.")
        if any(len(choice) > 200 for choice in choices):
            raise forms.ValidationError("Keep each choice to 200 characters at most.")
        return choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in Question.CHOICE_KINDS and len(cleaned.get("choices") or []) < 2:
            self.add_error("choices", "Give at least two choices, one per line.")
        elif cleaned.get("kind") and cleaned.get("kind") not in Question.CHOICE_KINDS and cleaned.get("choices"):
            self.add_error("choices", "Only “One choice” and “Several choices” questions have choices.")
        return cleaned


class FollowUpFormForm(forms.ModelForm):
    reminder_days_before = forms.CharField(
        label="Remind on (days before the due date)",
        required=False,
        help_text="Numbers separated by commas, e.g. “7, 1”; those who have not filled it in are reminded.",
    )

    class Meta:
        model = FollowUpForm
        fields = ["title", "introduction", "due_on", "reminder_days_before"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"due_on": {"invalid": "Enter a date as YYYY-MM-DD, for example 2026-03-03."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["reminder_days_before"] = ", ".join(str(d) for d in self.instance.reminder_days_before)

    def clean_reminder_days_before(self):
        parts = [part.strip() for part in self.cleaned_data["reminder_days_before"].split(",") if part.strip()]
        try:
            days = sorted({int(part) for part in parts}, reverse=True)
        except ValueError:
            raise forms.ValidationError("Enter whole numbers of days separated by commas, e.g. “7, 1”.") from None
        if any(not 0 <= day <= 60 for day in days):
            raise forms.ValidationError("Each number of days must be between 0 and 60.")
        return days


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
