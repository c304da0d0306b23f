from django import forms

from events.economies import Economy

from .models import ParticipantProfile


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
        fields = ["title", "full_name", "job_title", "organisation", "economy"]
        help_texts = {"full_name": "As it should appear on badges and letters."}
