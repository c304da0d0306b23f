from datetime import date

from django import forms
from django.utils import timezone

from events.economies import Economy
from events.timezones import all_zone_names

from . import hooks
from .models import SEX_REASON, ParticipantProfile, ParticipationMode, Registration, Sex


def sex_field():
    """Optional, with its reason; radio buttons that include "Prefer not to
    say", and no answer at all is as good as any."""
    return forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=SEX_REASON,
        error_messages={"invalid_choice": "Choose one of the options, or leave the question unanswered."},
    )


class ProfileFields(forms.Form):
    full_name = forms.CharField(max_length=200, help_text="As it should appear on badges and letters.")
    economy = forms.ChoiceField(
        label="Member economy",
        choices=[("", "— choose —"), *Economy.choices],
        help_text="Choose “Other / international organisation” for WIPO, WTO and other guests.",
    )


class SignupProfileForm(ProfileFields):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS): every account
    starts with a profile, so nobody registers for a meeting as a bare address."""

    def signup(self, request, user):
        ParticipantProfile.objects.update_or_create(
            user=user,
            defaults={"full_name": self.cleaned_data["full_name"], "economy": self.cleaned_data["economy"]},
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ParticipantProfile
        fields = [
            "title",
            "full_name",
            "job_title",
            "organisation",
            "economy",
            "sex",
            "event_reminders",
            "agenda_change_notices",
            "organiser_messages",
            "starting_soon_reminders",
            "time_zone",
        ]
        help_texts = {"full_name": "As it should appear on badges and letters."}

    sex = sex_field()

    # The optional mails, each with its switch (the pages and every such mail's
    # one-click unsubscribe point here: the profile's #mail-switches).
    MAIL_FIELDS = tuple(ParticipantProfile.OPTIONAL_MAILS.values())

    @property
    def detail_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.MAIL_FIELDS]

    @property
    def mail_fields(self):
        return [self[name] for name in self.MAIL_FIELDS]

    # The reader's own zone (events/reader_zone.py): any zone of the database.
    time_zone = forms.ChoiceField(
        label="Also show times in",
        required=False,
        choices=lambda: [("", "— venue time only —"), *((name, name) for name in all_zone_names())],
        help_text="Your own time zone, shown beside the venue's on event and agenda pages.",
    )


class InvitationLetterFields:
    """The passport details a visa invitation letter needs: asked, checked
    and kept only when the letter is requested (the register form, and the
    details a nominated delegate completes)."""

    LETTER_FIELDS = ("passport_name", "nationality", "passport_number", "date_of_birth")

    @property
    def letter_fields(self):
        return [self[name] for name in self.LETTER_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("invitation_letter"):
            # No letter, no passport details: whatever the (hidden) fields
            # hold is neither checked nor kept.
            for name in self.LETTER_FIELDS:
                self._errors.pop(name, None)
                cleaned[name] = Registration.PERSONAL_DATA[name]
            return cleaned
        for name in self.LETTER_FIELDS:
            if not cleaned.get(name) and name not in self._errors:
                self.add_error(name, "Needed for the invitation letter.")
        birth = cleaned.get("date_of_birth")
        if birth and not (date(1900, 1, 1) <= birth <= timezone.localdate()):
            self.add_error("date_of_birth", "Enter your real date of birth.")
        return cleaned


class RegistrationForm(InvitationLetterFields, forms.ModelForm):
    """What the web form asks; services.register decides the outcome."""

    privacy_consent = forms.BooleanField(
        label="I agree that the organisers process these details to run the event, as the privacy notice says.",
        error_messages={"required": "Please agree to the privacy notice to register."},
    )

    participation_mode = forms.ChoiceField(
        label="Taking part",
        choices=ParticipationMode.choices,
        initial=ParticipationMode.IN_PERSON,
        # Unanswered (a form from before the question was asked): in person.
        required=False,
        widget=forms.RadioSelect,
        help_text="Remote participants get the online meeting link shortly before each session.",
        error_messages={"invalid_choice": "Choose in person, remote (speaking) or remote (listening)."},
    )
    sex = sex_field()

    class Meta:
        model = Registration
        fields = [
            "participation_type", "participation_mode", "economy", "organisation", "sex", "dietary_needs",
            "accessibility_needs",
            "invitation_letter", "passport_name", "nationality", "passport_number", "date_of_birth",
            "share_in_public_list", "email_in_participant_list",
        ]  # fmt: skip
        widgets = {
            "participation_type": forms.RadioSelect,
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"invitation_letter": "I need an invitation letter for a visa"}
        help_texts = {
            "dietary_needs": "For example vegetarian, halal, allergies.",
            "accessibility_needs": "Anything that helps you take part: access, hearing loop, seating.",
            "invitation_letter": "The letter names you as your passport does: you are then asked for its details.",
            "passport_name": "Exactly as printed in your passport.",
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["economy"].required = True
        self.fields["economy"].choices = [("", "— choose —"), *Economy.choices]
        needs_approval = [
            label for value, label in self.fields["participation_type"].choices if event.needs_approval(value)
        ]
        if needs_approval:
            self.fields[
                "participation_type"
            ].help_text = f"Registrations as {', '.join(needs_approval)} wait for the organisers' approval."
        # Other apps' questions (questions/: the event's own), after this form's own.
        self.extras = hooks.register_extras()
        for extra in self.extras:
            self.fields.update(extra.fields(event))

    def clean(self):
        cleaned = super().clean()
        for extra in self.extras:
            extra.clean(self, cleaned)
        return cleaned

    def save_extras(self, registration, actor):
        for extra in self.extras:
            extra.save(self, registration, actor)

    def answers(self):
        answers = {name: self.cleaned_data.get(name) for name in [*self.Meta.fields, "privacy_consent"]}
        # Left unanswered here: the profile's answer, if any, is kept (services.register).
        answers["sex"] = answers["sex"] or None
        answers["participation_mode"] = answers["participation_mode"] or None
        return answers
