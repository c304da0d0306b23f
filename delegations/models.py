from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from events.economies import Economy
from events.models import Event, MeetingCluster, MeetingDocument
from registrations.models import Registration


class FinalParticipantList(models.Model):
    """The final List of Participants of an event: frozen when an organiser
    makes it final (``content`` holds the list exactly as it stood), then
    printed by the worker and numbered as a meeting document. Later changes
    to registrations never change it; the provisional list goes on showing
    them."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="final_participant_list")
    content = models.JSONField()
    finalised_at = models.DateTimeField()
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The PDF, numbered the APEC way, among the event's meeting documents.
    document = models.OneToOneField(
        MeetingDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="final_participant_list"
    )
    docx = models.FileField(upload_to="lists/", blank=True)
    # When it was last handed to the worker: one still unprinted long after is handed over again.
    handed_off_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"Final List of Participants of {self.event}"

    @property
    def printed(self):
        return self.document_id is not None and bool(self.docx)


MEMBER_ECONOMY_CHOICES = [(economy.value, economy.label) for economy in Economy if economy != Economy.OTHER]


class FocalPoint(models.Model):
    """Someone who nominates their economy's delegation: for one event, or for
    every event of a meeting cluster (exactly one of the two). Named by the
    Secretariat (staff or the event's owner)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_points")
    economy = models.CharField("member economy", max_length=2, choices=MEMBER_ECONOMY_CHOICES)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, blank=True, related_name="focal_points")
    cluster = models.ForeignKey(
        MeetingCluster, on_delete=models.CASCADE, null=True, blank=True, related_name="focal_points"
    )
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)
    # Set when the appointment mail left (delegations/mail.py), so a
    # redelivered task sends it once.
    mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["economy", "appointed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, cluster__isnull=True) | Q(event__isnull=True, cluster__isnull=False),
                name="focal_point_for_event_or_cluster",
            ),
            models.UniqueConstraint(
                fields=["user", "economy", "event"], condition=Q(event__isnull=False), name="focal_point_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["user", "economy", "cluster"],
                condition=Q(cluster__isnull=False),
                name="focal_point_once_per_cluster",
            ),
        ]

    def __str__(self):
        return f"{self.user} for {self.get_economy_display()} ({self.event or self.cluster})"


class DelegationSettings(models.Model):
    """How an event takes its delegations: which participation types only a
    focal point may nominate, and how many each economy may nominate. An event
    without a row uses ``defaults_for`` (delegations/queries.py)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="delegation_settings")
    nomination_only = models.JSONField(
        default=list,
        blank=True,
        help_text="Participation types only an economy's focal point may nominate; self-registration is refused.",
    )
    default_quota = models.PositiveSmallIntegerField(
        "nominations per economy", default=5, help_text="Active nominations each economy may have."
    )

    def __str__(self):
        return f"Delegation settings of {self.event}"


class EconomyQuota(models.Model):
    """An economy's own quota on one event, instead of the default."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="economy_quotas")
    economy = models.CharField("member economy", max_length=2, choices=MEMBER_ECONOMY_CHOICES)
    quota = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "economy"], name="one_quota_per_economy_and_event")]

    def __str__(self):
        return f"{self.get_economy_display()}: {self.quota} on {self.event}"


class Nomination(models.Model):
    """One delegate nominated by their economy's focal point: the registration
    it made, and where the Secretariat's decision stands."""

    class State(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        PRE_APPROVED = "pre_approved", "Pre-approved"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # States that count against the economy's quota.
    ACTIVE = (State.NOMINATED, State.PRE_APPROVED, State.APPROVED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="nominations")
    economy = models.CharField("member economy", max_length=2, choices=MEMBER_ECONOMY_CHOICES)
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="nomination")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    nominated_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOMINATED)
    reason = models.CharField(max_length=500, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["economy", "nominated_at", "pk"]
        indexes = [models.Index(fields=["event", "economy", "state"])]

    def __str__(self):
        return f"{self.registration.user} for {self.get_economy_display()} ({self.get_state_display()})"

    @property
    def is_active(self):
        return self.state in self.ACTIVE


class NominationLetter(models.Model):
    """The letter (a PDF) by which an economy nominates its delegation to an
    event: one per economy and event, replaced by a new upload. Read only by
    that economy's focal points and the event's organisers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="nomination_letters")
    economy = models.CharField("member economy", max_length=2, choices=MEMBER_ECONOMY_CHOICES)
    file = models.FileField(upload_to="nomination-letters/")
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "economy"], name="one_nomination_letter_per_economy")]

    def __str__(self):
        return f"Nomination letter of {self.get_economy_display()} for {self.event}"

    @property
    def filename(self):
        return f"{self.event.slug}-nomination-{self.economy.lower()}.pdf"
