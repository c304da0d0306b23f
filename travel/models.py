import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models

from events.economies import Economy
from events.models import Event
from registrations.models import Funding, Registration

# Member economies only: guests of international organisations are never
# funded by APEC as travellers of an economy.
MEMBER_ECONOMIES = [(code, label) for code, label in Economy.choices if code != Economy.OTHER]


class TravelEligibility(models.Model):
    """Whether APEC funds travellers of one member economy. APEC revises the
    list, so it is data the Secretariat edits on the desk, not a constant."""

    economy = models.CharField("member economy", max_length=2, choices=MEMBER_ECONOMIES, unique=True)
    eligible = models.BooleanField("travel-eligible", default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["economy"]
        verbose_name_plural = "travel eligibility"

    def __str__(self):
        return f"{self.get_economy_display()}: {'eligible' if self.eligible else 'not eligible'}"


class TravelFunding(models.Model):
    """An event's travel-funding settings. An event without a row uses the defaults."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="travel_funding")
    places_per_economy = models.PositiveSmallIntegerField(
        "funded places per eligible economy", default=1, help_text="How many travellers each eligible economy may send."
    )
    claim_due_days = models.PositiveSmallIntegerField(
        "claims due (days after the event)",
        default=30,
        help_text="Travellers send their e-ticket, boarding passes and receipts within this many days.",
    )

    def __str__(self):
        return f"travel funding of {self.event}"


class TravelPlaces(models.Model):
    """An economy's own number of funded places for one event, instead of
    the event's places per economy (a host economy's speakers, say)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="travel_places")
    economy = models.CharField("member economy", max_length=2, choices=MEMBER_ECONOMIES)
    places = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "economy"], name="one_travel_places_per_economy")]

    def __str__(self):
        return f"{self.get_economy_display()}: {self.places} at {self.event}"


class AirfareClass(models.TextChoices):
    ECONOMY = "economy", "Economy"
    PREMIUM_ECONOMY = "premium_economy", "Premium economy"
    BUSINESS = "business", "Business"


# The funding categories of a travel-funded person (Registration.funding's APEC kinds).
CATEGORIES = [(value, label) for value, label in Funding.choices if value != Funding.SELF_FUNDED]


class FundedTraveller(models.Model):
    """A registration whose travel APEC funds: its entitlements and its claim."""

    class Claim(models.TextChoices):
        AWAITING = "awaiting", "Awaiting documents"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned for changes"

    # States in which the traveller may still add or remove documents and submit.
    OPEN = (Claim.AWAITING, Claim.RETURNED)

    AirfareClass = AirfareClass

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="funded_traveller")
    # Copied from the registration when funded: the places are counted per
    # economy under the event's lock, and a later edit of the registration
    # must not move a used place to another economy.
    economy = models.CharField("member economy", max_length=2, choices=MEMBER_ECONOMIES)
    category = models.CharField(max_length=20, choices=CATEGORIES)
    airfare_class = models.CharField(max_length=20, choices=AirfareClass.choices, default=AirfareClass.ECONOMY)
    per_diem_days = models.PositiveSmallIntegerField("per-diem days")
    claim_due_on = models.DateField("claim documents due")
    claim_state = models.CharField(max_length=10, choices=Claim.choices, default=Claim.AWAITING)
    # Why the organisers returned the claim (shown to the traveller).
    claim_reason = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    funded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    funded_at = models.DateTimeField()

    class Meta:
        ordering = ["economy", "funded_at", "pk"]

    def __str__(self):
        return f"{self.registration.user} ({self.get_category_display()})"

    @property
    def is_open(self):
        return self.claim_state in self.OPEN


def claim_file_path(document, filename):
    # A random name: nothing about the person or the file in the storage key.
    return f"travel-claims/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ClaimDocument(models.Model):
    """One document of a travel claim, private to its traveller and the
    event's organisers (served only through views that check who asks)."""

    class Kind(models.TextChoices):
        E_TICKET = "e_ticket", "E-ticket"
        BOARDING_PASS = "boarding_pass", "Boarding pass"
        RECEIPT = "receipt", "Receipt"
        OTHER = "other", "Other"

    traveller = models.ForeignKey(FundedTraveller, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=claim_file_path, max_length=200)
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"
