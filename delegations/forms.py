"""Forms of delegations: the focal point's (nominate, the letter), the
delegate's own details, and the Secretariat's on the desk."""

from django import forms
from django.core.exceptions import ValidationError

from events.participation import ParticipationType
from registrations.forms import InvitationLetterFields, sex_field
from registrations.models import ParticipationMode, Registration

from . import nominations, queries
from .models import MEMBER_ECONOMY_CHOICES


class NominateForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=200, help_text="As it should appear on the badge and the List of Participants."
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="The delegate is told at this address and completes their details; an account is made if needed.",
    )
    participation_type = forms.ChoiceField(
        label="Nominated as",
        choices=[(str(kind), kind.label) for kind in queries.NOMINATED_TYPES],
        initial=ParticipationType.DELEGATE,
        widget=forms.RadioSelect,
        help_text="Naming a Head of Delegation moves the title from whoever held it.",
        error_messages={"invalid_choice": "Choose delegate or Head of Delegation."},
    )


class LetterForm(forms.Form):
    letter = forms.FileField(
        label="Nomination letter (PDF)",
        help_text="The signed letter nominating your delegation; a new upload replaces the previous one.",
        error_messages={"required": "Choose the PDF of the nomination letter.", "empty": "The file is empty."},
    )

    def clean_letter(self):
        try:
            return nominations.check_letter(self.cleaned_data["letter"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class DetailsForm(InvitationLetterFields, forms.ModelForm):
    """What a nominated delegate completes themself."""

    participation_mode = forms.ChoiceField(
        label="Taking part",
        choices=ParticipationMode.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose in person, remote (speaking) or remote (listening)."},
    )
    sex = sex_field()

    class Meta:
        model = Registration
        fields = list(nominations.DETAIL_FIELDS)
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"invitation_letter": "I need an invitation letter for a visa"}
        help_texts = {
            "dietary_needs": "For example vegetarian, halal, allergies.",
            "accessibility_needs": "Anything that helps you take part: access, hearing loop, seating.",
            "passport_name": "Exactly as printed in your passport.",
        }

    @property
    def other_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.LETTER_FIELDS]

    def answers(self):
        return {name: self.cleaned_data.get(name) for name in nominations.DETAIL_FIELDS}


# The desk's.


class FocalPointForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    full_name = forms.CharField(label="Full name (for a new account)", max_length=200, required=False)
    economy = forms.ChoiceField(
        label="Member economy",
        choices=[("", "— choose —"), *MEMBER_ECONOMY_CHOICES],
        error_messages={"invalid_choice": "Choose one of the member economies."},
    )
    whole_cluster = forms.BooleanField(
        label="For every event of this meeting cluster",
        required=False,
        help_text="Otherwise for this event only.",
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.cluster_id is None:
            del self.fields["whole_cluster"]


class SettingsForm(forms.Form):
    nomination_only = forms.MultipleChoiceField(
        label="Taken by nomination only",
        choices=ParticipationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Self-registration as these types is refused; the other types register as the event says.",
        error_messages={"invalid_choice": "Choose among the participation types shown."},
    )
    default_quota = forms.IntegerField(
        label="Nominations per economy",
        min_value=0,
        max_value=500,
        help_text="Active nominations each economy may have, unless it has its own quota.",
    )


class QuotaForm(forms.Form):
    economy = forms.ChoiceField(
        label="Member economy",
        choices=[("", "— choose —"), *MEMBER_ECONOMY_CHOICES],
        error_messages={"invalid_choice": "Choose one of the member economies."},
    )
    quota = forms.IntegerField(
        label="Its own quota",
        min_value=0,
        max_value=500,
        required=False,
        help_text="Leave empty to use the event's default again.",
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(label="Reason (the delegate is told)", max_length=500, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the delegate is told)",
        max_length=500,
        error_messages={"required": "Give a reason; the delegate and the focal point are told it."},
    )
