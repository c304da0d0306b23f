import uuid
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .economies import Economy
from .participation import ParticipationType


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "%(value)s is not an IANA time zone; use a name such as Asia/Kuala_Lumpur or Pacific/Auckland.",
            params={"value": value},
        )


# APEC project codes look like "IPEG 02 2020S": forum, number, year, funding letter.
validate_project_code = RegexValidator(
    r"^[A-Z]{2,10} \d{2} \d{4}[A-Z]?$",
    "Use the APEC project code format, for example IPEG 02 2020S.",
)


class MeetingCluster(models.Model):
    """A Senior Officials' Meeting week in a host city; events happen in its margins."""

    class Meeting(models.TextChoices):
        SOM1 = "SOM1", "SOM1"
        SOM2 = "SOM2", "SOM2"
        SOM3 = "SOM3", "SOM3"
        CSOM = "CSOM", "Concluding SOM"
        OTHER = "OTHER", "Other"

    slug = models.SlugField(unique=True)
    meeting = models.CharField(max_length=5, choices=Meeting.choices)
    year = models.PositiveSmallIntegerField()
    host_city = models.CharField(max_length=100)
    host_economy = models.CharField(max_length=2, choices=Economy.choices)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "year", "host_city"], name="unique_meeting_cluster"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="cluster_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.meeting} {self.year}, {self.host_city}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The meeting week cannot end before it starts."})


class Venue(models.Model):
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100)
    economy = models.CharField(max_length=2, choices=Economy.choices)
    timezone = models.CharField(
        max_length=64,
        validators=[validate_timezone],
        help_text="IANA time zone of the venue, e.g. Asia/Kuala_Lumpur. All times of its events are shown in it.",
    )

    class Meta:
        ordering = ["city", "name"]

    def __str__(self):
        return f"{self.name}, {self.city}"


def default_reminder_offsets():
    return [7 * 24 * 60, 24 * 60]  # a week and a day before


class EventQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: published events and cancelled ones (which stay
        visible with a notice, so nobody wonders where a meeting went)."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def managed_by(self, user):
        """Events whose organiser desk ``user`` may open at all: staff see every
        event, anyone else those where they hold a role (owner, organiser,
        check-in staff or viewer). What each role may do there is decided in
        desk/permissions.py; ``User.is_organiser`` is the same rule."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(organisers=user)

    def organised_by(self, user):
        """Events ``user`` may organise (change, and read everything of,
        including documents for organisers only): staff every event, anyone
        else those where their role is one of ``EventRole.ORGANISING``
        (owner, organiser). desk/permissions.py grants its ``ORGANISE`` need
        to the same roles; check-in staff and viewers are not counted."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(pk__in=EventRole.objects.filter(user=user, role__in=EventRole.ORGANISING).values("event"))

    def visible_to(self, user):
        if user.is_authenticated and user.is_staff:
            return self
        public = Q(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        if user.is_authenticated:
            return self.filter(public | Q(pk__in=Event.objects.filter(organisers=user).values("pk")))
        return self.filter(public)


class Event(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        IPEG_MEETING = "ipeg_meeting", "IPEG meeting"
        SIDE_EVENT = "side_event", "Side event"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    # Stable identity for calendar invitations and feeds (never the slug, which organisers may edit).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    cluster = models.ForeignKey(
        MeetingCluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="meeting cluster",
    )
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="events")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Seats; leave empty for no limit.")
    registration_opens_at = models.DateTimeField("registration opens", null=True, blank=True)
    registration_closes_at = models.DateTimeField("registration closes", null=True, blank=True)
    project_code = models.CharField("APEC project code", max_length=20, blank=True, validators=[validate_project_code])
    description = models.TextField(blank=True, help_text="Markdown.")
    approval_required_for = models.JSONField(
        default=list,
        blank=True,
        help_text="Participation types whose registrations wait for an organiser's approval.",
    )
    letterhead = models.TextField(
        blank=True,
        help_text="Top of visa invitation letters: the host organisation's name and address, one item per line.",
    )
    letter_signatory = models.CharField(
        max_length=200, blank=True, help_text="Who signs invitation letters, e.g. “Dr Nurul Aziz, Director, MyIPO”."
    )
    reminder_offsets = models.JSONField(
        default=default_reminder_offsets,
        blank=True,
        help_text="Minutes before the start at which confirmed participants get a reminder.",
    )
    # Attendance per session (attendance/): marks are taken from this many
    # minutes before a session starts until this many after it ends, so the
    # door queue and late arrivals count while a mark a day later does not.
    attendance_margin_minutes = models.PositiveSmallIntegerField(
        "attendance margin (minutes)",
        default=15,
        help_text="Attendance is accepted this long before a session starts and after it ends.",
    )
    # The online meeting (Zoom, Teams, Webex…) for remote participants. Never
    # shown on a public page: each remote participant gets a personal link
    # that records their attendance and then forwards here.
    remote_meeting_url = models.URLField(
        "online meeting link",
        max_length=500,
        blank=True,
        help_text="Private: remote participants reach it only through their personal join links.",
    )
    remote_link_lead_minutes = models.PositiveSmallIntegerField(
        "join links shown (minutes before)",
        default=30,
        help_text="How long before a session its personal join links appear.",
    )
    # Rises whenever a change calendar clients must see happens (time, place,
    # title, cancellation), as iCalendar's SEQUENCE requires.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # When published versions dropped sessions (UTC ISO strings). Feeds show a
    # dropped session as cancelled for a while; this lets a feed's change mark
    # see one expire without a query on RemovedItem.
    removal_times = models.JSONField(default=list, editable=False)
    # Everyone with a role on the event's desk (EventRole says which).
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_events", through="EventRole"
    )
    current_version = models.ForeignKey(
        "AgendaVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The latest published agenda version, kept here so public pages need no extra query.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    @cached_property
    def tz(self):
        return zoneinfo.ZoneInfo(self.venue.timezone)

    @property
    def is_public(self):
        return self.status in (self.Status.PUBLISHED, self.Status.CANCELLED)

    def needs_approval(self, participation_type):
        return participation_type in (self.approval_required_for or [])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The event must end after it starts."
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = "Registration must close after it opens."
        elif closes and self.ends_at and closes > self.ends_at:
            errors["registration_closes_at"] = "Registration cannot close after the event has ended."
        unknown = set(self.approval_required_for or []) - set(ParticipationType.values)
        if unknown:
            errors["approval_required_for"] = f"Unknown participation types: {', '.join(sorted(unknown))}."
        if errors:
            raise ValidationError(errors)


class EventRole(models.Model):
    """What one person may do on one event's desk. ``Event.organisers`` runs
    through this table; desk/permissions.py says what each role allows."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ORGANISER = "organiser", "Organiser"
        CHECK_IN = "check_in", "Check-in staff"
        VIEWER = "viewer", "Viewer"

    # The roles that organise the event: change it, and read all of it.
    ORGANISING = (Role.OWNER, Role.ORGANISER)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_roles")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ORGANISER)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table Django made for the plain many-to-many field, kept.
        db_table = "events_event_organisers"
        unique_together = [("event", "user")]
        ordering = ["event", "role", "user"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.event}"


class EventInvitation(models.Model):
    """An invitation by e-mail to take a role on an event's desk. The link in
    the mail carries a signed, expiring token naming this row; accepting it
    grants the role to the signed-in account (events/invitations.py)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("e-mail address")
    role = models.CharField(max_length=10, choices=EventRole.Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} as {self.get_role_display()} of {self.event}"

    @property
    def is_open(self):
        return self.accepted_at is None and self.withdrawn_at is None


class Speaker(models.Model):
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=30, blank=True, help_text="Form of address, e.g. Dr, Ms, H.E.")
    position = models.CharField("job title", max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    economy = models.CharField(max_length=2, choices=Economy.choices, blank=True)
    bio = models.TextField(blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.title} {self.name}".strip()

    def snapshot(self):
        """What a published agenda version freezes of a speaker."""
        return {
            "id": self.pk,
            "name": str(self),
            "organisation": self.organisation,
            "economy": self.get_economy_display() if self.economy else "",
        }


class ItemKind(models.TextChoices):
    OPENING = "opening", "Opening"
    PRESENTATION = "presentation", "Presentation"
    PANEL = "panel", "Panel"
    PLENARY = "plenary", "Plenary"
    BREAK = "break", "Break"
    LUNCH = "lunch", "Lunch"
    CLOSING = "closing", "Closing"


class AgendaItem(models.Model):
    """A session in the organisers' draft agenda. The public never sees these
    rows: they see the PublishedItem copies of the latest AgendaVersion."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="draft_items")
    # Stable identity across versions (and, later, calendar UIDs); never derived
    # from titles or times, which change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=ItemKind.choices, default=ItemKind.PRESENTATION)
    title = models.CharField(max_length=300)
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    room = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="agenda_items")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "room", "title"]
        indexes = [models.Index(fields=["event", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="item_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not (self.starts_at and self.ends_at):
            return
        if self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A session must end after it starts."})
        event = self.event
        if self.starts_at < event.starts_at or self.ends_at > event.ends_at:
            raise ValidationError(
                "A session must lie within its event (%(start)s to %(end)s, %(zone)s).",
                params={
                    "start": event.starts_at.astimezone(event.tz).strftime("%d %b %Y %H:%M"),
                    "end": event.ends_at.astimezone(event.tz).strftime("%d %b %Y %H:%M"),
                    "zone": event.venue.timezone,
                },
            )


class AgendaVersion(models.Model):
    """A frozen, numbered publication of an event's agenda, with what changed
    since the version before."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(blank=True, help_text="Optional summary shown above the changelog.")
    changelog = models.JSONField(default=list)
    # The printed programme of this version, rendered once in the background
    # and served from storage (never from a public media URL).
    programme = models.FileField(upload_to="programmes/", blank=True, editable=False)
    programme_queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["event", "-number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="unique_version_number")]

    def __str__(self):
        return f"{self.event} — version {self.number}"


class PublishedItem(models.Model):
    version = models.ForeignKey(AgendaVersion, on_delete=models.CASCADE, related_name="items")
    uid = models.UUIDField()
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    title = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    # Rendered and sanitised once at publication, so pages never run Markdown per request.
    description_html = models.TextField(blank=True)
    speakers = models.JSONField(default=list)
    # iCalendar SEQUENCE: rises only when time, place or title change.
    sequence = models.PositiveIntegerField(default=0)
    # When this item last changed in any way (LAST-MODIFIED and DTSTAMP).
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "room", "title"]
        indexes = [models.Index(fields=["version", "starts_at"])]
        constraints = [models.UniqueConstraint(fields=["version", "uid"], name="unique_item_per_version")]

    def __str__(self):
        return self.title


class RemovedItem(models.Model):
    """An agenda item that a published version dropped. Feeds keep it as
    STATUS:CANCELLED for a while, so subscribed calendars delete it instead of
    keeping a ghost session."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="removed_items")
    uid = models.UUIDField()
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    title = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.CharField(max_length=100, blank=True)
    sequence = models.PositiveIntegerField()
    removed_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["event", "uid"], name="unique_removed_item")]

    def __str__(self):
        return f"{self.title} (removed)"


class MeetingDocument(models.Model):
    """A meeting document, numbered the APEC way (<year>/<SOM>/<group>/<nnn>),
    sequential per meeting cluster and group and never reused. Replacing the
    file adds a revision and keeps the number."""

    class Access(models.TextChoices):
        PUBLIC = "public", "Everyone"
        REGISTERED = "registered", "Registered participants"
        ORGANISERS = "organisers", "Organisers only"

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="documents")
    item_uid = models.UUIDField(null=True, blank=True, help_text="The agenda item it belongs to, if any.")
    title = models.CharField(max_length=300)
    group = models.CharField(max_length=20, default="IPEG")
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=60, unique=True)
    access = models.CharField(max_length=12, choices=Access.choices, default=Access.PUBLIC)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sequence"]

    def __str__(self):
        return f"{self.number} {self.title}"


class DocumentRevision(models.Model):
    document = models.ForeignKey(MeetingDocument, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    file = models.FileField(upload_to="documents/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Of the bytes uploaded: downloads are checked against it, and web nodes
    # keep verified copies under it (events/stored_files.py).
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-revision"]
        constraints = [models.UniqueConstraint(fields=["document", "revision"], name="one_revision_number")]

    def __str__(self):
        return f"{self.document.number} rev. {self.revision}"


class RenderedList(models.Model):
    """A printed list (meeting documents, public participants) rendered once
    for one state of the data it shows. ``key`` digests exactly what the PDF
    prints for its audience (``kind``), so any change gives a new key and a
    new file; the row is also what concurrent first readers lock, so they
    render it once between them, as ``AgendaVersion.programme`` is rendered
    (events/rendered_lists.py)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rendered_lists")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    file = models.FileField(upload_to="lists/", blank=True, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "kind", "key"], name="unique_rendered_list")]

    def __str__(self):
        return f"{self.event} — {self.kind} {self.key[:12]}"
