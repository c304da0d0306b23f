import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from events.economies import Economy
from events.models import Event
from events.participation import ParticipationType


class ParticipationMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    REMOTE_SPEAKING = "remote_speaking", "Remote (speaking)"
    REMOTE_LISTENING = "remote_listening", "Remote (listening)"


class Sex(models.TextChoices):
    """Self-reported, optional, and used only in counts: APEC's completion
    reports give participation by sex. Never shown on badges, lists or pages."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    ANOTHER = "another", "Another"
    PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"


SEX_REASON = (
    "Optional. APEC asks every project to report participation by sex; your answer is used only in "
    "those counts and is never shown on badges, lists or pages."
)


class Funding(models.TextChoices):
    SELF_FUNDED = "self", "Self-funded"
    APEC_PARTICIPANT = "apec_participant", "APEC-funded participant"
    APEC_SPEAKER = "apec_speaker", "APEC-funded speaker"
    APEC_EXPERT = "apec_expert", "APEC-funded expert"


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
    sex = models.CharField(max_length=12, choices=Sex.choices, blank=True, help_text=SEX_REASON)
    # Optional mails, each of which the person can turn off (one click in every such mail).
    event_reminders = models.BooleanField("reminders before my events", default=True)
    agenda_change_notices = models.BooleanField("notices when an agenda changes", default=True)
    organiser_messages = models.BooleanField("messages from the organisers of my events", default=True)
    starting_soon_reminders = models.BooleanField(
        "a reminder shortly before each session I starred", default=False, help_text="Star sessions on an agenda."
    )
    # The reader's own time zone (an IANA name), shown beside the venue's on
    # event and agenda pages; "" for venue time only (events/reader_zone.py).
    time_zone = models.CharField(
        "also show times in",
        max_length=64,
        blank=True,
        help_text="Your own time zone, shown beside the venue's on event and agenda pages.",
    )

    OPTIONAL_MAILS = {
        "event_reminder": "event_reminders",
        "agenda_change": "agenda_change_notices",
        "organiser_message": "organiser_messages",
        "starting_soon": "starting_soon_reminders",
    }

    def __str__(self):
        return f"{self.title} {self.full_name}".strip()

    def wants(self, kind):
        field = self.OPTIONAL_MAILS.get(kind)
        return field is None or getattr(self, field)


def new_checkin_code():
    return secrets.token_urlsafe(12)


class Registration(models.Model):
    """One person for one event."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        ATTENDED = "attended", "Attended"

    # Statuses that hold a seat.
    SEATED = (Status.CONFIRMED, Status.ATTENDED)
    # Statuses that still count as "registered" (a second registration is refused).
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED)

    ParticipationType = ParticipationType
    Mode = ParticipationMode
    Sex = Sex
    Funding = Funding
    REMOTE = (ParticipationMode.REMOTE_SPEAKING, ParticipationMode.REMOTE_LISTENING)

    # Answers that are personal data beyond what reports need (name, economy,
    # attendance stay): erased after the event, with their blank values.
    PERSONAL_DATA = {
        "dietary_needs": "",
        "accessibility_needs": "",
        "passport_name": "",
        "nationality": "",
        "passport_number": "",
        "date_of_birth": None,
    }

    # Random, so that URLs reveal nothing and cannot be enumerated.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    participation_type = models.CharField(
        max_length=20, choices=ParticipationType.choices, default=ParticipationType.DELEGATE
    )
    economy = models.CharField("member economy", max_length=2, choices=Economy.choices, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    participation_mode = models.CharField(
        "taking part", max_length=16, choices=ParticipationMode.choices, default=ParticipationMode.IN_PERSON
    )
    sex = models.CharField(max_length=12, choices=Sex.choices, blank=True, help_text=SEX_REASON)
    funding = models.CharField(max_length=20, choices=Funding.choices, default=Funding.SELF_FUNDED)
    # Dietary and accessibility needs are health data: like the passport
    # details below, erased once the event is over (services.erase_personal_data).
    dietary_needs = models.CharField(max_length=500, blank=True)
    accessibility_needs = models.CharField(max_length=500, blank=True)
    # Visa invitation letter: visible to the participant and the event's
    # organisers only, and erased once no longer needed (services.erase_personal_data).
    invitation_letter = models.BooleanField("invitation letter requested", default=False)
    passport_name = models.CharField("name as in passport", max_length=200, blank=True)
    nationality = models.CharField(max_length=100, blank=True)
    passport_number = models.CharField(max_length=30, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    privacy_consent_at = models.DateTimeField(null=True, blank=True)
    # When the fields above that are personal data were erased after the event,
    # so pages and exports can say "erased" rather than look never given.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    share_in_public_list = models.BooleanField(
        "show me in the public participant list",
        default=False,
        help_text="Your name, organisation and economy only; never your e-mail or other answers.",
    )
    email_in_participant_list = models.BooleanField(
        "show my e-mail address in the official List of Participants",
        default=False,
        help_text="The list goes to the other participants of the meeting; without this only your name, "
        "title and organisation are in it.",
    )
    # When the person joined the current queue; the waiting list is served in this order.
    queued_at = models.DateTimeField()
    status_reason = models.CharField(max_length=500, blank=True)
    checkin_code = models.CharField(max_length=32, unique=True, default=new_checkin_code, editable=False)
    # The check-in QR code (an SVG data: URI), made once when the code is, so
    # that badge sheets for hundreds of people do not draw hundreds of codes.
    checkin_qr = models.TextField(blank=True, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person_and_event"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="attended"),
                name="checked_in_only_when_attended",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"]),
            # The desk lists an event's registrations in queue order, 50 a page:
            # read in index order instead of sorting them all (bench/desk.py).
            models.Index(fields=["event", "queued_at", "id"], name="registration_queue_order"),
        ]

    def __str__(self):
        return f"{self.user} — {self.event} ({self.get_status_display()})"

    @property
    def holds_seat(self):
        return self.status in self.SEATED

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL. Calendar clients cannot log
    in, so the URL itself is the credential: long, random, replaceable.

    Only its SHA-256 digest is stored, so a leaked database or backup holds no
    working feed address. A fast hash is enough here: the secret is 32 random
    bytes (256 bits), not a password someone chose, so there is no dictionary
    to try and brute force is out of reach at any speed; a slow hash (PBKDF2,
    Argon2) would only slow every calendar poll. The full address is shown
    once, when it is made (see ``calendar_feed.regenerate``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    # Looked up by this digest through its unique index: the comparison runs on
    # a hash of the secret, never on the secret, so it leaks nothing by timing.
    digest = models.CharField(max_length=64, unique=True)
    # The last characters of the address, so the account page can say which
    # link is current ("ending …abcd") without holding the secret.
    hint = models.CharField(max_length=4)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"calendar token of {self.user}"


class Delivery(models.Model):
    """One mail to one registration, as a row: planned, claimed under a lock,
    sent, then marked. The unique key makes planning it twice impossible; the
    claim makes sending it twice possible only for what was in flight when a
    worker died, and the Message-ID derived from the row lets mail servers drop
    even that duplicate.

    A mail that cannot be built or that the mail server refuses fails alone: it
    goes back to "pending" with the reason and a later due time, and after
    MAIL_MAX_ATTEMPTS attempts it is "failed", never claimed again, and shown
    to the event's organisers, who can try it again."""

    class Kind(models.TextChoices):
        EVENT_REMINDER = "event_reminder", "Event reminder"
        AGENDA_CHANGE = "agenda_change", "Agenda change notice"
        EVENT_CANCELLED = "event_cancelled", "Event cancelled"
        ORGANISER_MESSAGE = "organiser_message", "Message from the organisers"
        STARTING_SOON = "starting_soon", "Session starting soon"
        # Confirmations, approvals, waiting-list and cancellation notices: written
        # in the transaction that changes the registration, so none is lost.
        REGISTRATION = "registration", "Registration notice"
        # Evaluation and follow-up surveys (evaluation/): the invitation, then
        # reminders to those who have not answered; key "<survey>" / "<survey>:<n>".
        SURVEY_INVITATION = "survey_invitation", "Survey invitation"
        SURVEY_REMINDER = "survey_reminder", "Survey reminder"
        # A delegate's nomination by their economy's focal point and its
        # pre-approval (delegations/); key "<step>-<random>".
        NOMINATION = "nomination", "Nomination notice"
        # Funded travellers (travel/): notices of funding and of each step of
        # the claim, key "<step>-<random>"; reminders to send the claim, key
        # "claim:<traveller>:<days before the due date>".
        TRAVEL_NOTICE = "travel_notice", "Travel funding notice"
        CLAIM_REMINDER = "claim_reminder", "Travel claim reminder"
        # Follow-up forms (questions/): reminders to seated participants who
        # have not filled one in, key "<form>:<days before the due date>".
        FOLLOWUP_REMINDER = "followup_reminder", "Follow-up form reminder"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What makes this mail unique for the registration: the offset in minutes
    # for reminders, the first version covered for agenda notices.
    key = models.CharField(max_length=50)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    payload = models.JSONField(default=dict, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Who holds the claim: a retry of the same batch carries the same token; a
    # claim taken over after STALE_CLAIM gets a new one, and the old batch then
    # finds nothing left to send.
    claim_token = models.CharField(max_length=32, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    skip_reason = models.CharField(max_length=200, blank=True)
    # Why the last attempt failed, in a line an organiser can read (kept after
    # a later success), and when the row gave up.
    last_error = models.CharField(max_length=300, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "key"], name="one_delivery_per_registration_kind_key"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} to {self.registration_id} ({self.status})"

    @property
    def message_id(self):
        return f"<delivery-{self.pk}@ipeg-events>"


class OrganiserMessage(models.Model):
    """A message an organiser wrote to the participants of an event; each
    recipient gets a Delivery row, so progress is a count of rows."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organiser_messages")
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text.")
    filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class StarredItem(models.Model):
    """A session a participant put on "my agenda"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="starred_items")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    item_uid = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "item_uid"], name="star_once")]

    def __str__(self):
        return f"{self.user} starred {self.item_uid}"


class InvitationLetter(models.Model):
    """Every visa invitation letter issued, numbered per event and never reused."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="invitation_letters")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="letters")
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["event", "number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="letter_number_once_per_event")]

    def __str__(self):
        return self.reference

    @property
    def reference(self):
        prefix = self.event.project_code.replace(" ", "-") if self.event.project_code else self.event.slug.upper()
        return f"{prefix}/LOI/{self.number:03d}"


class GeneratedDocument(models.Model):
    """A participant list or badge sheet made in the background for an
    organiser: large ones take a while, so the desk shows progress and a
    download link when ready."""

    class Kind(models.TextChoices):
        PARTICIPANTS = "participants", "List of participants"
        BADGES = "badges", "Name badges"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Being typeset"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="generated_documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    items = models.PositiveIntegerField(default=0, help_text="People on the list or badges on the sheets.")
    file = models.FileField(upload_to="generated/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    # When the job was last handed to the broker: one still queued long after
    # is handed over again (the broker was down, or lost it).
    handed_off_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.event} ({self.status})"
