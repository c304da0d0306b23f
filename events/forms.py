from django import forms

from .models import Event, MeetingCluster
from .timezones import all_zone_names


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
