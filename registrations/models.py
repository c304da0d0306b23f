from django.conf import settings
from django.db import models

from events.economies import Economy
from events.models import Event


class ParticipantProfile(models.Model):
    """Who a participant is, as organisers and badges need it; registrations
    prefill from here."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(max_length=200)
    title = models.CharField(max_length=30, blank=True, help_text="Form of address, e.g. Dr, Ms, H.E.")
    organisation = models.CharField(max_length=200, blank=True, help_text="Ministry, IP office or organisation.")
    economy = models.CharField(
        "member economy",
        max_length=2,
        choices=Economy.choices,
        help_text="Choose “Other / international organisation” for WIPO, WTO and other guests.",
    )
    job_title = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.title} {self.full_name}".strip()


class Registration(models.Model):
    """One person for one event."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled"
        ATTENDED = "attended", "Attended"

    class ParticipationType(models.TextChoices):
        DELEGATE = "delegate", "Member-economy delegate"
        HEAD_OF_DELEGATION = "head_of_delegation", "Head of delegation"
        SPEAKER = "speaker", "Speaker"
        OBSERVER = "observer", "Observer"
        GUEST = "guest", "Guest"
        SECRETARIAT = "secretariat", "Secretariat"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    participation_type = models.CharField(
        max_length=20, choices=ParticipationType.choices, default=ParticipationType.DELEGATE
    )
    economy = models.CharField(max_length=2, choices=Economy.choices, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person_and_event"),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.user} — {self.event} ({self.get_status_display()})"
