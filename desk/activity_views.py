"""An event's Activity page: every logged change, newest first, filtered by
kind of change, by who made it and by dates."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import activity
from .permissions import managed_event

PER_PAGE = 50


class ActivityFilterForm(forms.Form):
    action = forms.ChoiceField(label="What", required=False)
    actor = forms.ChoiceField(label="Who", required=False)
    since = forms.DateField(label="From (day)", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To (day)", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = activity.action_choices()
        self.fields["actor"].choices = [("", "Anyone"), *((name, name) for name in actors)]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError("The last day cannot come before the first.")
        return data


@login_required
def activity_page(request, slug):
    event = managed_event(request, slug)
    form = ActivityFilterForm(request.GET or None, actors=activity.actors_of(event))
    filters = form.cleaned_data if form.is_valid() else {}
    entries = activity.of_event(
        event,
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk/activity.html",
        {
            "event": event,
            "form": form,
            "page": page,
            "entries": activity.rows(page.object_list, event),
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
        },
    )
