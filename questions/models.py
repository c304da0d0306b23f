from django.db import models

from events.participation import ParticipationType
from registrations.models import Registration


class FollowUpForm(models.Model):
    """A form that opens to an event's seated participants once they are
    approved (arrival flight, hotel, airport pick-up), due by a date, with
    reminders to those who have not filled it in."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="followup_forms")
    title = models.CharField(max_length=120)
    introduction = models.TextField(blank=True)
    due_on = models.DateField(help_text="The last day it can be filled in or changed (venue's date).")
    # Days before due_on on which those who have not completed it are reminded.
    reminder_days_before = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        CHOICE = "choice", "One choice"
        MULTIPLE_CHOICE = "multiple_choice", "Several choices"
        YES_NO = "yes_no", "Yes or no"
        DATE = "date", "Date"

    CHOICE_KINDS = (Kind.CHOICE, Kind.MULTIPLE_CHOICE)

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="questions")
    # Empty: a question of the register form.
    form = models.ForeignKey(FollowUpForm, null=True, blank=True, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    # Participation types (registrations.ParticipationType) it is asked of; empty: everyone.
    participation_types = models.JSONField(default=list, blank=True)
    # A question removed once it had answers is archived, so the answers stay readable.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    def asked_of(self, participation_type):
        return not self.participation_types or participation_type in self.participation_types

    @property
    def types_label(self):
        names = dict(ParticipationType.choices)
        return ", ".join(str(names.get(value, value)) for value in self.participation_types)

    def display(self, value):
        """An answer as text; a choice no longer offered is marked so."""
        if value is None or value == "" or value == []:
            return ""
        if self.kind == self.Kind.YES_NO:
            return "Yes" if value else "No"
        if self.kind in self.CHOICE_KINDS:
            values = value if isinstance(value, list) else [value]
            return ", ".join(v if v in self.choices else f"{v} (no longer offered)" for v in values)
        return str(value)


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="question_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Text, a list of choices, a bool, or an ISO date, by the question's kind.
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        return self.question.display(self.value)


class Completion(models.Model):
    """A follow-up form filled in by one registration (its answers are Answers)."""

    form = models.ForeignKey(FollowUpForm, on_delete=models.CASCADE, related_name="completions")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="followup_completions")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "registration"], name="one_completion_per_form"),
        ]

    def __str__(self):
        return f"{self.form} completed"
