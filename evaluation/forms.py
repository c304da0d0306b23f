"""The answer form of a survey: one field per question, and per session for
questions asked about each session."""

from django import forms

from .models import Question
from .services import TEXT_LIMIT

SCALE = [("1", "1 poor"), ("2", "2 fair"), ("3", "3 good"), ("4", "4 very good"), ("5", "5 excellent")]


class AnswerForm(forms.Form):
    def __init__(self, *args, questions, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = {}  # field name -> (question, session uid or None)
        overall, per_session = [], []
        for question in questions:
            if question.per_session:
                per_session.append(question)
            else:
                overall.append(self._add(question, None))
        # Overall questions first, then each session's questions under its title.
        self.groups = [{"session": None, "fields": overall}] if overall else []
        for session in sessions if per_session else []:
            self.groups.append(
                {"session": session, "fields": [self._add(question, session) for question in per_session]}
            )

    def _add(self, question, session):
        name = f"q{question.pk}" + (f"-{session.uid.hex}" if session else "")
        label = question.text + (f" ({session.title})" if session else "")
        messages = {"required": f"Please answer “{label}”: it is required."}
        if question.kind == Question.Kind.SCALE:
            field = forms.ChoiceField(choices=SCALE, widget=forms.RadioSelect)
            messages["invalid_choice"] = f"Choose a rating from 1 to 5 for “{label}”."
        elif question.kind == Question.Kind.CHOICE:
            field = forms.ChoiceField(
                choices=[(choice, choice) for choice in question.choices], widget=forms.RadioSelect
            )
            messages["invalid_choice"] = f"Choose one of the options given for “{label}”."
        else:
            field = forms.CharField(max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}), strip=True)
            messages["max_length"] = f"Your answer to “{label}” is too long: at most {TEXT_LIMIT} characters, please."
        field.required = question.required
        field.label = question.text
        field.help_text = question.help_text
        field.error_messages.update(messages)
        self.fields[name] = field
        self.keys[name] = (question, session.uid if session else None)
        return self[name]

    def answers(self):
        """[(question, session uid or None, value)] for the service."""
        return [(question, uid, self.cleaned_data.get(name)) for name, (question, uid) in self.keys.items()]
