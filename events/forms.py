from django import forms

from .models import Event, MeetingCluster


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
