import uuid

from django import forms

from . import room_codes


def session_choices(sessions):
    return [(str(item.uid), item.title) for item in sessions]


class RoomCodeForm(forms.Form):
    session = forms.ChoiceField(label="Session", error_messages={"invalid_choice": "Choose a session of this agenda."})
    code = forms.CharField(
        label="Room code",
        max_length=40,
        help_text=f"The {room_codes.LENGTH} letters and digits on the room's screen.",
        error_messages={"required": "Type the code shown on the room's screen."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = session_choices(sessions)

    def clean_session(self):
        return uuid.UUID(self.cleaned_data["session"])
