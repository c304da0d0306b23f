"""Messages to an event's participants, their progress, and mail that could
not be delivered."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ops.health import background_status
from registrations import reminders
from registrations.models import Delivery, OrganiserMessage

from .forms import OrganiserMessageForm
from .permissions import managed_event


@login_required
def messages_page(request, slug):
    event = managed_event(request, slug)
    form = OrganiserMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = reminders.send_organiser_message(
            event,
            request.user,
            form.cleaned_data["subject"],
            form.cleaned_data["body"],
            {key: form.cleaned_data[key] for key in ("status", "type", "economy")},
            form.recipients(event),
        )
        messages.success(request, f"Your message is on its way to {message.recipients} participants.")
        return redirect("desk:message", slug=slug, pk=message.pk)
    sent = OrganiserMessage.objects.filter(event=event)
    undelivered = list(reminders.undelivered(event)[: reminders.UNDELIVERED_SHOWN + 1])
    return render(
        request,
        "desk/messages.html",
        {
            "event": event,
            "form": form,
            "sent": sent,
            "undelivered": undelivered[: reminders.UNDELIVERED_SHOWN],
            "more_undelivered": len(undelivered) > reminders.UNDELIVERED_SHOWN,
            "max_attempts": settings.MAIL_MAX_ATTEMPTS,
        },
    )


@login_required
@require_POST
def delivery_try_again(request, slug, pk):
    event = managed_event(request, slug)
    delivery = get_object_or_404(
        Delivery.objects.select_related("registration__user"), pk=pk, registration__event=event
    )
    if reminders.try_again(delivery, request.user):
        messages.success(request, f"The mail to {delivery.registration.user.email} is being sent again.")
    else:
        messages.info(request, f"The mail to {delivery.registration.user.email} had not failed; nothing changed.")
    return redirect("desk:messages", slug=slug)


@login_required
def message_detail(request, slug, pk):
    event = managed_event(request, slug)
    message = get_object_or_404(OrganiserMessage, pk=pk, event=event)
    progress = reminders.message_progress(message)
    done = progress["sent"] + progress["skipped"] + progress["failed"]
    return render(
        request,
        "desk/message_detail.html",
        {
            "event": event,
            "message": message,
            "progress": progress,
            "done": done,
            "finished": done >= message.recipients,
            "worker": background_status(),
        },
    )
