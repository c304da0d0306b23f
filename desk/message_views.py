"""Messages to an event's participants, their progress, and mail that could
not be delivered."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from events import progress
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


def _message_status(event, message):
    counts = reminders.message_progress(message)
    done = counts["sent"] + counts["skipped"] + counts["failed"]
    total = message.recipients
    if done < total:
        return progress.status(progress.RUNNING, f"Sending: {done} of {total} handled.", done=done, total=total)
    text = f"Done: {counts['sent']} sent"
    if counts["skipped"]:
        text += f", {counts['skipped']} not sent (turned off or no longer registered)"
    if counts["failed"]:
        text += f", {counts['failed']} could not be delivered"
    answer = progress.status(progress.DONE, f"{text}.", done=done, total=total)
    if counts["failed"]:
        answer.update(url=f"{reverse('desk:messages', args=[event.slug])}#undelivered", url_label="See which")
    return answer


@login_required
def message_detail(request, slug, pk):
    event = managed_event(request, slug)
    message = get_object_or_404(OrganiserMessage, pk=pk, event=event)
    return render(
        request,
        "desk/message_detail.html",
        {"event": event, "message": message, "status": _message_status(event, message), "worker": background_status()},
    )


@login_required
def message_status(request, slug, pk):
    """The progress page's status URL (static/js/progress.js polls it)."""
    event = managed_event(request, slug)
    message = get_object_or_404(OrganiserMessage, pk=pk, event=event)
    return progress.status_response(_message_status(event, message))
