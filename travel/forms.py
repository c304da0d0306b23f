from django import forms
from django.core.exceptions import ValidationError

from . import uploads
from .models import CATEGORIES, MEMBER_ECONOMIES, AirfareClass, ClaimDocument


class ClaimDocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Document",
        choices=ClaimDocument.Kind.choices,
        error_messages={"invalid_choice": "Choose what the document is: e-ticket, boarding pass, receipt or other."},
    )
    file = forms.FileField(
        label="File",
        help_text="A PDF, or a JPEG or PNG scan or photo; one boarding pass per flight.",
        error_messages={
            "required": "Choose the file to upload.",
            "empty": "The file is empty: choose the scan or photo again.",
            "invalid": "No file was received: choose the file again.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = uploads.inspect(upload)
        self.safe_name = uploads.safe_name(upload.name, self.content_type)
        return upload


class EligibilityForm(forms.Form):
    eligible = forms.MultipleChoiceField(
        label="Travel-eligible economies",
        choices=MEMBER_ECONOMIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose member economies from the list."},
    )


class SettingsForm(forms.Form):
    places_per_economy = forms.IntegerField(
        label="Funded places per eligible economy", min_value=0, max_value=50,
        error_messages={"invalid": "Enter a whole number of places, 0 to 50."},
    )  # fmt: skip
    claim_due_days = forms.IntegerField(
        label="Claims due (days after the event)", min_value=1, max_value=365,
        error_messages={"invalid": "Enter a whole number of days, 1 to 365."},
    )  # fmt: skip

    def __init__(self, *args, funded_most, **kwargs):
        super().__init__(*args, **kwargs)
        self.funded_most = funded_most

    def clean_places_per_economy(self):
        places = self.cleaned_data["places_per_economy"]
        if places < self.funded_most:
            raise ValidationError(
                f"An economy already has {self.funded_most} funded traveller{'s' if self.funded_most != 1 else ''}: "
                "withdraw funding first, or keep at least that many places."
            )
        return places


class FundForm(forms.Form):
    registration = forms.ChoiceField(
        label="Participant",
        error_messages={
            "required": "Choose the participant to fund.",
            "invalid_choice": "Choose a seated participant of a travel-eligible economy who is not funded yet.",
        },
    )
    category = forms.ChoiceField(
        choices=CATEGORIES, error_messages={"invalid_choice": "Choose participant, speaker or expert."}
    )
    airfare_class = forms.ChoiceField(
        label="Airfare class", choices=AirfareClass.choices, initial=AirfareClass.ECONOMY,
        error_messages={"invalid_choice": "Choose economy, premium economy or business."},
    )  # fmt: skip
    per_diem_days = forms.IntegerField(
        label="Per-diem days", min_value=0, max_value=60, required=False,
        error_messages={"invalid": "Enter a whole number of days, 0 to 60."},
    )  # fmt: skip

    def __init__(self, *args, registrations, default_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_uid = {str(registration.uid): registration for registration in registrations}
        self.fields["registration"].choices = [("", "— choose —")] + [
            (uid, f"{registration.user.display_name} ({registration.get_economy_display()})")
            for uid, registration in self.by_uid.items()
        ]
        self.fields["per_diem_days"].help_text = f"Leave empty for {default_days}: the event's days plus one."

    def clean_registration(self):
        return self.by_uid[self.cleaned_data["registration"]]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the traveller is told)", max_length=500,
        error_messages={"required": "Give the reason: the traveller is told."},
    )  # fmt: skip


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept the claim"), ("return", "Return it for changes")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose to accept or return the claim.",
            "invalid_choice": "Choose to accept or return the claim.",
        },
    )
    reason = forms.CharField(
        label="What the traveller must change (when returning)", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say what the traveller must change: the reason is sent to them.")
        return data


class EconomyPlacesForm(forms.Form):
    economy = forms.ChoiceField(
        label="Economy",
        error_messages={
            "required": "Choose the economy.",
            "invalid_choice": "Choose a travel-eligible economy from the list.",
        },
    )
    places = forms.IntegerField(
        label="Its funded places", min_value=0, max_value=50, required=False,
        help_text="Leave empty for the event's places per economy.",
        error_messages={"invalid": "Enter a whole number of places, 0 to 50."},
    )  # fmt: skip

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.used = {row.economy: row.used for row in places}
        self.fields["economy"].choices = [("", "— choose —")] + [(row.economy, row.name) for row in places]

    def clean(self):
        data = super().clean()
        economy, places = data.get("economy"), data.get("places")
        used = self.used.get(economy, 0)
        if economy and places is not None and places < used:
            self.add_error(
                "places", f"It already has {used} funded traveller{'s' if used != 1 else ''}: keep at least {used}."
            )
        return data
