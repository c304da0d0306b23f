import uuid

from django.conf import settings
from django.db import models

from events.models import Event
from registrations.models import Registration


class Survey(models.Model):
    """An event's evaluation (after it) or its follow-up (months later).

    Anonymous surveys keep who answered and what was answered apart: an
    ``Invitation`` says only that its person has answered (no time), and a
    ``Response`` has a random key, no person and no time, so not even the order
    of rows links the two."""

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", "Evaluation"
        FOLLOW_UP = "follow_up", "Follow-up survey"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EVALUATION)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="Shown above the questions. Plain text.")
    anonymous = models.BooleanField(
        default=True, help_text="Answers are never linked to a person, in any page, report or export."
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    # A draft the organisers have finished: it opens by itself at ``opens_at``
    # (beat's open_due_surveys), its questions frozen meanwhile.
    scheduled = models.BooleanField(default=False)
    # When it opens (and the invitations go out): after the event for an
    # evaluation, some months after it for a follow-up.
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    # Days after opening at which those who have not answered are reminded.
    reminder_days = models.JSONField(default=list, blank=True)
    follow_up_months = models.PositiveSmallIntegerField(
        default=12, help_text="For a follow-up survey: how many months after the event it opens."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="one_survey_of_each_kind_per_event")]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Scale (1–5)"
        CHOICE = "choice", "One choice"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    # Asked once for each session of the agenda rather than once overall.
    per_session = models.BooleanField(default=False)
    # Which question of the standard set this is ("" for the organiser's own),
    # so reports can compare events.
    standard_key = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Invitation(models.Model):
    """One participant asked to answer one survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="survey_invitations")
    answered = models.BooleanField(default=False)
    # Kept only for surveys that are not anonymous.
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "registration"], name="one_invitation_per_survey_and_person")
        ]

    def __str__(self):
        return f"{self.survey} → {self.registration_id}"


class Response(models.Model):
    # Random, so the order of responses says nothing about who answered when.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # Empty for anonymous surveys.
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_responses"
    )

    def __str__(self):
        return f"Response to {self.survey}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # The session, for questions asked per session.
    item_uid = models.UUIDField(null=True, blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    def __str__(self):
        return f"Answer to {self.question_id}"
