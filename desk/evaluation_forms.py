"""Forms of the desk's survey pages (desk/evaluation_views.py)."""

from django import forms
from django.core.exceptions import ValidationError

from evaluation import services
from evaluation.models import Question, Survey

from .forms import LocalDateTimeField, SingleLineTitleMixin, VenueLocalTimesMixin

MAX_MONTHS = 36


class CreateSurveyForm(forms.Form):
    kind = forms.ChoiceField(choices=Survey.Kind.choices, widget=forms.HiddenInput)
    anonymous = forms.BooleanField(
        required=False, initial=True, label="Anonymous: answers are never linked to a person"
    )
    months = forms.IntegerField(
        min_value=1, max_value=MAX_MONTHS, initial=12, required=False,
        label="Months after the event", help_text="For a follow-up survey: when it opens.",
        error_messages={
            "min_value": "A follow-up opens at least 1 month after the event.",
            "max_value": f"A follow-up opens at most {MAX_MONTHS} months after the event.",
            "invalid": "Write a number of months, for example 12.",
        },
    )  # fmt: skip


class ReminderDaysField(forms.CharField):
    """Reminder days as people write them ("7, 14"): days after opening."""

    def prepare_value(self, value):
        return ", ".join(str(day) for day in value) if isinstance(value, list) else value

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return []
        parts = [part.strip() for part in text.replace(";", ",").split(",")]
        if not all(part.isdigit() and 1 <= int(part) <= 90 for part in parts):
            raise ValidationError("Write reminder days like “7, 14”: whole days after opening, from 1 to 90.")
        days = sorted({int(part) for part in parts})
        if len(days) > services.MAX_REMINDERS:
            raise ValidationError(f"At most {services.MAX_REMINDERS} reminders: people tire of more.")
        return days


class SurveySettingsForm(SingleLineTitleMixin, VenueLocalTimesMixin, forms.ModelForm):
    local_time_fields = ("opens_at", "closes_at")

    opens_at = LocalDateTimeField(label="Opens (venue time)")
    closes_at = LocalDateTimeField(label="Closes (venue time)")
    reminder_days = ReminderDaysField(
        required=False,
        label="Reminders (days after opening)",
        help_text="One or two, e.g. “7, 14”; only those who have not answered get them. Empty for none.",
    )

    class Meta:
        model = Survey
        fields = ["title", "introduction", "anonymous", "opens_at", "closes_at", "reminder_days", "follow_up_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = self.instance.event
        if self.instance.kind != Survey.Kind.FOLLOW_UP:
            del self.fields["follow_up_months"]
        else:
            self.fields["follow_up_months"].label = "Months after the event"
            self.fields[
                "follow_up_months"
            ].help_text = "Changing it moves the opening time to that many months after the event ends."
            self.fields["follow_up_months"].validators.append(self._months)
        self.show_in_zone(self.event.tz)

    @staticmethod
    def _months(value):
        if not 1 <= value <= MAX_MONTHS:
            raise ValidationError(f"Between 1 and {MAX_MONTHS} months, please.")

    def clean(self):
        cleaned = super().clean()
        self.localize_times(self.event.tz)
        months = cleaned.get("follow_up_months")
        if months and "follow_up_months" in self.changed_data and "opens_at" not in self.changed_data:
            cleaned["opens_at"] = services.months_after_end(self.event, months)
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and self.instance.kind == Survey.Kind.EVALUATION and opens < self.event.ends_at:
            self.add_error("opens_at", "An evaluation opens only after the event has ended.")
        if opens and closes:
            if closes <= opens:
                self.add_error("closes_at", "The survey must close after it opens.")
            elif any(day >= (closes - opens).days for day in cleaned.get("reminder_days") or []):
                self.add_error("reminder_days", "Each reminder must come before the survey closes.")
        return cleaned

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.fields}


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Options (one choice questions)",
        help_text="One per line, at least two.",
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "choices", "required", "per_session"]
        labels = {
            "kind": "Kind of question",
            "text": "Question",
            "help_text": "Help shown under the question",
            "per_session": "Ask it once for each session of the agenda",
        }
        help_texts = {
            "kind": "Scale: a rating from 1 (poor) to 5 (excellent).",
            "per_session": "Breaks and lunch are left out.",
        }
        error_messages = {"text": {"required": "Write the question."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Question.Kind.choices  # no empty choice: every question has a kind
        self.fields["kind"].error_messages["invalid_choice"] = "Choose scale, one choice or free text."
        self.initial["choices"] = "\n".join(self.instance.choices or [])

    def clean_choices(self):
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]
        if any(len(line) > 200 for line in lines):
            raise ValidationError("Each option may be at most 200 characters long.")
        return lines

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Question.Kind.CHOICE:
            choices = cleaned.get("choices") or []
            if len(choices) < 2:
                self.add_error("choices", "A one choice question needs at least two options, one per line.")
            elif len(choices) > services.CHOICES_LIMIT or len(set(choices)) != len(choices):
                self.add_error("choices", f"Give at most {services.CHOICES_LIMIT} options, each once.")
        return cleaned

    def fields_for_service(self):
        return {name: self.cleaned_data[name] for name in services.QUESTION_FIELDS}
