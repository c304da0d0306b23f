"""The organiser desk's forms: events, agenda items, speakers, documents,
and the decisions taken on registrations."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError

from events.economies import Economy
from events.models import (
    AgendaItem,
    Event,
    EventRole,
    MeetingCluster,
    MeetingDocument,
    PublishedItem,
    Speaker,
    Venue,
    validate_timezone,
)
from events.participation import ParticipationType
from events.text import single_line_title
from events.timezones import localize
from events.uploads import inspect_upload
from registrations import queries
from registrations.models import Registration


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the venue's zone. Django would read it in the
    server's zone; we keep it naive here and the form attaches the venue's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    FIRST_YEAR, LAST_YEAR = 1900, 2999

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        try:
            parsed = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError("Enter a date and time, for example 2020-02-17 09:00.", code="invalid") from None
        if not self.FIRST_YEAR <= parsed.year <= self.LAST_YEAR:
            # Year 1 or 9999 cannot be converted between zones (OverflowError).
            raise ValidationError(
                "Enter a date between the years %(first)d and %(last)d.",
                code="out_of_range",
                params={"first": self.FIRST_YEAR, "last": self.LAST_YEAR},
            )
        return parsed.replace(tzinfo=None, second=0, microsecond=0)


class ReminderOffsetsField(forms.CharField):
    """Reminder times as people write them ("7d, 1d, 2h"), kept as minutes."""

    UNITS = {"d": 24 * 60, "h": 60, "m": 1}

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(self._format(minutes) for minutes in value)
        return value

    def _format(self, minutes):
        for unit, size in self.UNITS.items():
            if minutes % size == 0:
                return f"{minutes // size}{unit}"
        return f"{minutes}m"

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return []
        offsets = []
        for part in text.replace(";", ",").split(","):
            part = part.strip().lower()
            unit = self.UNITS.get(part[-1:]) if part else None
            if unit is None or not part[:-1].isdigit() or int(part[:-1]) == 0:
                raise ValidationError(
                    "Write reminder times like “7d, 1d, 2h” (days, hours or minutes before the start)."
                )
            offsets.append(int(part[:-1]) * unit)
        if max(offsets) > 60 * 24 * 60:
            raise ValidationError("Reminders can be at most 60 days before the start.")
        return sorted(set(offsets), reverse=True)


class SingleLineTitleMixin:
    """A title is one line wherever it goes (page heading, mail subject,
    calendar name): line breaks and control characters typed or pasted into it
    become spaces."""

    def clean_title(self):
        return single_line_title(self.cleaned_data["title"])


class VenueLocalTimesMixin:
    """Shows and reads the listed datetime fields in the venue's zone."""

    local_time_fields = ()

    def venue_zone(self):
        raise NotImplementedError

    def show_in_zone(self, zone):
        for name in self.local_time_fields:
            value = getattr(self.instance, name, None)
            if value is not None:
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def localize_times(self, zone):
        for name in self.local_time_fields:
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            try:
                self.cleaned_data[name] = localize(value, zone)
            except ValidationError as error:
                self.add_error(name, error)


class EventForm(SingleLineTitleMixin, VenueLocalTimesMixin, forms.ModelForm):
    local_time_fields = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    starts_at = LocalDateTimeField(label="Starts (venue time)")
    ends_at = LocalDateTimeField(label="Ends (venue time)")
    registration_opens_at = LocalDateTimeField(label="Registration opens (venue time)", required=False)
    registration_closes_at = LocalDateTimeField(label="Registration closes (venue time)", required=False)
    approval_required_for = forms.TypedMultipleChoiceField(
        label="Registrations that need your approval",
        choices=ParticipationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="For example delegates, who must be nominated by their economy.",
    )
    reminder_offsets = ReminderOffsetsField(
        label="Reminders before the start",
        required=False,
        initial="7d, 1d",
        help_text="Confirmed participants get a reminder at each: for example “7d, 1d” or “2h”. Empty for none.",
    )

    class Meta:
        model = Event
        fields = [
            "title", "slug", "kind", "cluster", "venue", "starts_at", "ends_at", "capacity",
            "registration_opens_at", "registration_closes_at", "approval_required_for", "reminder_offsets",
            "project_code", "description", "letterhead", "letter_signatory",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.show_in_zone(self.instance.tz)

    def clean(self):
        cleaned = super().clean()
        venue = cleaned.get("venue")
        if venue is not None:
            self.localize_times(ZoneInfo(venue.timezone))
        else:
            # Without a venue there is no zone to read the times in; the venue
            # error is shown and the times are re-read once it is fixed.
            for name in self.local_time_fields:
                cleaned.pop(name, None)
        return cleaned


class AgendaItemForm(SingleLineTitleMixin, VenueLocalTimesMixin, forms.ModelForm):
    local_time_fields = ("starts_at", "ends_at")

    starts_at = LocalDateTimeField(label="Starts (venue time)")
    ends_at = LocalDateTimeField(label="Ends (venue time)")

    class Meta:
        model = AgendaItem
        fields = ["title", "kind", "starts_at", "ends_at", "room", "speakers", "description"]
        widgets = {"speakers": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = Speaker.objects.order_by("name")
        self.fields["speakers"].help_text = "Hold Ctrl (⌘ on a Mac) to choose several."
        self.show_in_zone(self.instance.event.tz)

    def clean(self):
        cleaned = super().clean()
        self.localize_times(self.instance.event.tz)
        return cleaned


class PublishAgendaForm(forms.Form):
    note = forms.CharField(
        label="Note for readers (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["title", "name", "position", "organisation", "economy", "email", "bio"]


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=300)
    file = forms.FileField(help_text="PDF, Word (.docx), PowerPoint (.pptx) or Excel (.xlsx).")
    access = forms.ChoiceField(label="Who may download it", choices=MeetingDocument.Access.choices)
    item = forms.ChoiceField(label="Agenda item (optional)", required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        items = PublishedItem.objects.filter(version_id=event.current_version_id).values_list("uid", "title")
        self.fields["item"].choices = [("", "— the whole event —"), *((str(uid), title) for uid, title in items)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = inspect_upload(upload)
        return upload


class ReplaceDocumentForm(forms.Form):
    file = forms.FileField(help_text="The new revision keeps the document's number.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = inspect_upload(upload)
        return upload


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label="Move to",
        choices=[
            (status.value, status.label)
            for status in (
                Registration.Status.CONFIRMED,
                Registration.Status.WAITLISTED,
                Registration.Status.PENDING,
                Registration.Status.CANCELLED,
            )
        ],
    )
    reason = forms.CharField(label="Reason (the participant is told)", max_length=500)


class DecisionForm(forms.Form):
    reason = forms.CharField(label="Reason (the participant is told)", max_length=500, required=False)


class FundingForm(forms.Form):
    funding = forms.ChoiceField(
        choices=Registration.Funding.choices,
        error_messages={"invalid_choice": "Choose self-funded or one of the APEC-funded kinds."},
    )
    reason = forms.CharField(label="Note for the activity log (optional)", max_length=500, required=False)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label="Seats", min_value=0, max_value=100_000, required=False, help_text="Leave empty for no limit."
    )


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *Registration.Status.choices], required=False)
    type = forms.ChoiceField(
        label="Participation", choices=[("", "Any type"), *Registration.ParticipationType.choices], required=False
    )
    economy = forms.ChoiceField(label="Economy", choices=[("", "Any economy"), *Economy.choices], required=False)
    q = forms.CharField(label="Search name, e-mail or organisation", required=False, max_length=100)


class UUIDListField(forms.Field):
    """Registrations chosen by their uid (checkboxes of one page of the list)."""

    widget = forms.MultipleHiddenInput
    MAX = 1000

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > self.MAX:
            raise ValidationError(f"Choose at most {self.MAX} registrations at once.")
        try:
            return list(dict.fromkeys(str(uuid.UUID(str(item))) for item in values))
        except ValueError:
            raise ValidationError("A chosen registration was not understood; reload the list.") from None


class OrganiserMessageForm(forms.Form):
    """A message to the participants of an event: to those of some statuses,
    participation types and economies, or to the registrations ticked on the
    list (``to``; the filters are then not asked)."""

    subject = forms.CharField(max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 10}), max_length=20_000)
    status = forms.MultipleChoiceField(
        label="To registrations that are",
        choices=[
            (s.value, s.label)
            for s in (
                Registration.Status.CONFIRMED,
                Registration.Status.ATTENDED,
                Registration.Status.WAITLISTED,
                Registration.Status.PENDING,
            )
        ],
        initial=[Registration.Status.CONFIRMED, Registration.Status.ATTENDED],
        widget=forms.CheckboxSelectMultiple,
    )
    type = forms.MultipleChoiceField(
        label="Participation (none ticked: all)",
        choices=Registration.ParticipationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    economy = forms.MultipleChoiceField(
        label="Economies (none chosen: all)",
        choices=Economy.choices,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        required=False,
    )
    to = UUIDListField(required=False)

    def __init__(self, *args, event=None, chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        if chosen and not self.is_bound:
            self.initial["to"] = list(chosen)
        try:
            uids = self.fields["to"].clean(self["to"].value())
        except ValidationError:
            uids = []
        # The ticked registrations, shown by name above the form.
        self.chosen = list(queries.of_event(event).filter(uid__in=uids)) if event is not None and uids else []
        if uids:
            for name in ("status", "type", "economy"):
                self.fields[name].required = False
                self.fields[name].widget = forms.MultipleHiddenInput()

    def recipients(self, event):
        data = self.cleaned_data
        if data.get("to"):
            return Registration.objects.filter(event=event, uid__in=data["to"])
        registrations = Registration.objects.filter(event=event, status__in=data["status"])
        if data["type"]:
            registrations = registrations.filter(participation_type__in=data["type"])
        if data["economy"]:
            registrations = registrations.filter(economy__in=data["economy"])
        return registrations


BULK_MOVES = [
    (status.value, status.label)
    for status in (
        Registration.Status.WAITLISTED,
        Registration.Status.CANCELLED,
        Registration.Status.PENDING,
        Registration.Status.CONFIRMED,
    )
]


class BulkForm(forms.Form):
    """One decision for the registrations ticked on the list, with one reason."""

    registration = UUIDListField(required=False)
    action = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline"), ("move", "Move"), ("message", "Write a message")]
    )
    to_status = forms.ChoiceField(label="Move to", choices=BULK_MOVES, required=False)
    reason = forms.CharField(label="Reason (each participant is told)", max_length=500, required=False)
    # The list's filter and page, to return to.
    back = forms.CharField(required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("registration"):
            raise ValidationError("Tick at least one registration first.")
        if cleaned.get("action") == "move" and not cleaned.get("to_status"):
            self.add_error("to_status", "Choose where to move them.")
        return cleaned


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why this person gets a seat above capacity (recorded; the participant is told)", max_length=500
    )


class ZoneInput(forms.TextInput):
    """A time zone typed or picked from the browser's list of suggestions (an
    <input list> with a <datalist>, searchable by any part of the name and
    working without JavaScript), each suggestion with its current UTC offset."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id', name)}-zones"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils import timezone
        from django.utils.html import format_html, format_html_join

        from events.timezones import zones_with_offsets

        field = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id') or name}-zones"
        options = format_html_join("", '<option value="{}">{}</option>', zones_with_offsets(timezone.now()))
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class VenueForm(forms.ModelForm):
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        widget=ZoneInput(),
        help_text="Type part of the name, such as Auckland or Kuala: the list shows each zone's offset from UTC today.",
    )

    class Meta:
        model = Venue
        fields = ["name", "address", "city", "economy", "timezone"]

    def clean_timezone(self):
        # A suggestion picked with its label ("Pacific/Auckland (UTC+13)") is read as its name.
        value = self.cleaned_data["timezone"].strip().split(" (", 1)[0].strip()
        validate_timezone(value)
        return value


class MeetingClusterForm(forms.ModelForm):
    slug = forms.SlugField(
        required=False, help_text="Part of addresses; leave empty to make one from the meeting, year and city."
    )

    class Meta:
        model = MeetingCluster
        fields = ["meeting", "year", "host_city", "host_economy", "start_date", "end_date", "slug"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1989 <= year <= 2999:
            raise ValidationError("Enter a year between 1989 (APEC's first) and 2999.")
        return year

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("meeting") and cleaned.get("year") and cleaned.get("host_city"):
            from django.utils.text import slugify

            cleaned["slug"] = slugify(f"{cleaned['meeting']}-{cleaned['year']}-{cleaned['host_city']}")[:50]
            self.instance.slug = cleaned["slug"]
            if MeetingCluster.objects.filter(slug=cleaned["slug"]).exists():
                self.add_error("slug", "A meeting cluster already has this address; choose another.")
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(
        choices=EventRole.Role.choices,
        initial=EventRole.Role.ORGANISER,
        help_text="Owner: everything, including the team. Organiser: everything but the team. "
        "Check-in staff: the check-in pages only. Viewer: reads the desk, changes nothing.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=EventRole.Role.choices)


class AcceptInvitationForm(forms.Form):
    confirm = forms.BooleanField(required=False)
