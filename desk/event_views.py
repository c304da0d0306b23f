"""The organiser desk for events, agendas and speakers. Every view fetches its
event through ``permissions.managed_event``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events import organising, services
from events.models import AgendaItem
from ops.health import background_status

from .forms import AgendaItemForm, EventForm, PublishAgendaForm, SpeakerForm
from .permissions import ORGANISE, VIEW, can_create, desk_events, managed_event, require_create


def _error_text(error):
    return " ".join(error.messages)


@login_required
def desk_home(request):
    user = request.user
    return render(
        request,
        "desk/home.html",
        {
            "events": desk_events(user),
            "worker": background_status(),
            "can_create": {name: can_create(user, name) for name in ("event", "venue", "meetingcluster", "speaker")},
        },
    )


@login_required
def event_create(request):
    require_create(request.user, "event")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = organising.create_event(form, owner=request.user, actor=request.user)
        messages.success(
            request, f"“{event.title}” was created as a draft, with you as its owner. Only its team can see it."
        )
        return redirect("desk:event", slug=event.slug)
    return render(request, "desk/event_form.html", {"form": form})


@login_required
def event_edit(request, slug):
    event = managed_event(request, slug, need=VIEW)
    form = EventForm(request.POST or None, instance=event)
    if not event.desk.organise:  # a viewer reads the details; saving needs organiser rights (a POST is refused)
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        event = services.save_event(form, actor=request.user)
        messages.success(request, "The event was saved.")
        return redirect("desk:event", slug=event.slug)
    return render(request, "desk/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    try:
        services.publish_event(event, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "The event is published and visible to everyone.")
    return redirect("desk:event", slug=event.slug)


@login_required
def event_cancel(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    if request.method == "POST":
        try:
            services.cancel_event(event, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "The event is cancelled. Its page stays up with a notice.")
        return redirect("desk:event", slug=event.slug)
    return render(request, "desk/event_cancel.html", {"event": event})


@login_required
def agenda_draft(request, slug):
    event = managed_event(request, slug, need=VIEW)
    items = AgendaItem.objects.filter(event=event).prefetch_related("speakers")
    return render(
        request,
        "desk/agenda.html",
        {
            "event": event,
            "items": items,
            "pending": services.pending_changes(event),
            "publish_form": PublishAgendaForm(),
        },
    )


@login_required
@require_POST
def agenda_publish(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = PublishAgendaForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long (2,000 characters at most).")
        return redirect("desk:agenda", slug=event.slug)
    try:
        version = services.publish_agenda(event, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Agenda version {version.number} is published.")
    return redirect("desk:agenda", slug=event.slug)


@login_required
def item_create(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = AgendaItemForm(request.POST or None, instance=AgendaItem(event=event))
    if request.method == "POST" and form.is_valid():
        item = services.save_item(form, actor=request.user)
        messages.success(request, f"“{item.title}” was added to the draft agenda.")
        return redirect("desk:agenda", slug=event.slug)
    return render(request, "desk/item_form.html", {"form": form, "event": event})


def _managed_item(request, slug, uid):
    event = managed_event(request, slug, need=ORGANISE)
    return event, get_object_or_404(AgendaItem.objects.select_related("event__venue"), event=event, uid=uid)


@login_required
def item_edit(request, slug, uid):
    event, item = _managed_item(request, slug, uid)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = services.save_item(form, actor=request.user)
        messages.success(request, f"“{item.title}” was saved in the draft agenda.")
        return redirect("desk:agenda", slug=event.slug)
    return render(request, "desk/item_form.html", {"form": form, "event": event, "item": item})


@login_required
def item_delete(request, slug, uid):
    event, item = _managed_item(request, slug, uid)
    if request.method == "POST":
        services.delete_item(item, actor=request.user)
        messages.success(request, f"“{item.title}” was removed from the draft agenda.")
        return redirect("desk:agenda", slug=event.slug)
    return render(request, "desk/item_delete.html", {"event": event, "item": item})


@login_required
@permission_required("events.add_speaker", raise_exception=True)
def speaker_create(request):
    form = SpeakerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        speaker = services.create_speaker(form, actor=request.user)
        messages.success(request, f"{speaker} was added; you can now choose them for sessions.")
        return redirect("desk:home")
    return render(request, "desk/speaker_form.html", {"form": form})
