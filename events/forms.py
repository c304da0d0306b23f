from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError

from .models import AgendaItem, Event, MeetingCluster, MeetingDocument, PublishedItem, Speaker
from .participation import ParticipationType
from .text import single_line_title
from .timezones import all_zone_names, localize
from .uploads import inspect_upload


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


class EventFilterForm(forms.Form):
    WHEN_CHOICES = [("upcoming", "Upcoming"), ("past", "Past"), ("all", "All")]

    when = forms.ChoiceField(choices=WHEN_CHOICES, required=False, initial="upcoming")
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Event.Kind.choices], required=False)
    cluster = forms.ModelChoiceField(
        queryset=MeetingCluster.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any meeting cluster",
        label="Meeting cluster",
    )
    project = forms.CharField(required=False, max_length=20, label="APEC project code")


class ReaderZoneForm(forms.Form):
    tz = forms.ChoiceField(
        label="Also show times in",
        choices=[("", "— venue time only —"), *((name, name) for name in all_zone_names())],
        required=False,
    )


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
