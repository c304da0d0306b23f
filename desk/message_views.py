"""Messages to an event's participants, their progress, and mail that could
not be delivered."""

import hashlib
import json
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from events import progress
from ops.health import background_status
from registrations import message_preview, reminders
from registrations.models import Delivery, OrganiserMessage

from .forms import OrganiserMessageForm
from .permissions import ORGANISE, VIEW, managed_event

PREVIEWS_KEPT = 5  # drafts whose HTML part a preview frame may still ask for, per session


def _draft_key(event, data):
    fields = sorted((name, data.getlist(name)) for name in data if name not in ("csrfmiddlewaretoken", "action"))
    return hashlib.sha256(json.dumps([event.pk, fields]).encode()).hexdigest()[:24]


def _keep_draft(request, event, data):
    """The preview's HTML part is fetched by its frame in another request: the
    draft waits in the session under a key its frame URL names."""
    key = _draft_key(event, data)
    drafts = [draft for draft in request.session.get("message_previews", []) if draft["key"] != key]
    fields = {name: data.getlist(name) for name in data if name not in ("csrfmiddlewaretoken", "action")}
    drafts.append({"key": key, "event": event.pk, "data": fields})
    request.session["message_previews"] = drafts[-PREVIEWS_KEPT:]
    return key


def _preview(request, event, form):
    """The recipients the form selects and the mail the first one will get."""
    data = form.cleaned_data
    count, first_few = message_preview.recipients_summary(form.recipients(event))
    preview = {"count": count, "first_few": first_few, "more": count - len(first_few)}
    if first_few:
        mail = message_preview.sample_mail(event, data["subject"], data["body"], first_few[0])
        preview.update(mail=mail, parts=message_preview.parts(mail), key=_keep_draft(request, event, request.POST))
    return preview


def _expected(request):
    try:
        return int(request.POST["expected"])
    except (KeyError, ValueError):
        return None


@login_required
def messages_page(request, slug):
    """Write, preview, try and send a message. "Preview" shows how many people
    the filters select and the mail as the first of them will get it; "Send me
    a test" also sends that mail to the organiser; "Send to N people" sends it,
    unless the filters now select another number than the page said."""
    event = managed_event(request, slug, need=VIEW)
    form = OrganiserMessageForm(request.POST or None, event=event, chosen=request.GET.getlist("to"))
    action = request.POST.get("action", "send")
    preview = None
    if request.method == "POST" and form.is_valid():
        recipients = form.recipients(event)
        expected = _expected(request)
        if action == "send" and (expected is None or expected == recipients.count()):
            message = reminders.send_organiser_message(
                event,
                request.user,
                form.cleaned_data["subject"],
                form.cleaned_data["body"],
                {key: form.cleaned_data[key] for key in ("status", "type", "economy")},
                recipients,
            )
            messages.success(request, f"Your message is on its way to {message.recipients} participants.")
            return redirect("desk:message", slug=slug, pk=message.pk)
        preview = _preview(request, event, form)
        if action == "send":
            messages.warning(
                request,
                f"Nothing was sent: the filters now select {preview['count']} people, not {expected}. "
                "Check the preview, then send again.",
            )
        elif action == "test" and "mail" in preview:
            try:
                message_preview.send_test(preview["mail"], request.user.email)
            except (smtplib.SMTPException, OSError, ValueError) as error:
                messages.error(request, f"The test could not be sent to {request.user.email}: {error}")
            else:
                messages.success(request, f"A test of this mail was sent to {request.user.email}.")
    sent = OrganiserMessage.objects.filter(event=event)
    undelivered = list(reminders.undelivered(event)[: reminders.UNDELIVERED_SHOWN + 1])
    count = preview["count"] if preview else (None if form.is_bound else _count(event, _initial_filters(form, request)))
    return render(
        request,
        "desk/messages.html",
        {
            "event": event,
            "form": form,
            "preview": preview,
            "count": count,
            "sent": sent,
            "undelivered": undelivered[: reminders.UNDELIVERED_SHOWN],
            "more_undelivered": len(undelivered) > reminders.UNDELIVERED_SHOWN,
            "max_attempts": settings.MAIL_MAX_ATTEMPTS,
        },
    )


def _initial_filters(form, request):
    """The filters an unsent form starts with, as form data."""
    data = request.GET.copy()
    for name in ("status", "type", "economy"):
        if name not in data:
            data.setlist(name, list(form.fields[name].initial or []))
    return data


def _count(event, data):
    """How many people ``data``'s filters select; None when they are not valid."""
    data = data.copy()
    # Only the filters are asked about; the message need not be written yet.
    data["subject"], data["body"] = "-", "-"
    form = OrganiserMessageForm(data)
    return form.recipients(event).count() if form.is_valid() else None


@login_required
def message_recipients(request, slug):
    """How many people the filters in the query string select, as JSON, for
    the compose form's live count (static/js/message-count.js)."""
    event = managed_event(request, slug, need=VIEW)
    count = _count(event, request.GET)
    answer = {"count": count} if count is not None else {"count": None, "error": "Tick at least one status."}
    response = JsonResponse(answer)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@xframe_options_sameorigin
def message_preview_html(request, slug, key):
    """The HTML part of a previewed mail, alone, for the preview's sandboxed
    frame. Mail HTML carries style attributes, which the site's policy refuses
    in its own pages; this response has a policy of its own: no scripts, no
    loads from anywhere, inline styles only, framed by this site only, and
    sandboxed (an opaque origin, whatever the frame attribute says)."""
    event = managed_event(request, slug, need=VIEW)
    draft = next(
        (d for d in request.session.get("message_previews", []) if d["key"] == key and d["event"] == event.pk), None
    )
    first = None
    if draft is not None:
        data = QueryDict(mutable=True)
        for name, values in draft["data"].items():
            data.setlist(name, values)
        form = OrganiserMessageForm(data)
        if form.is_valid():
            first = form.recipients(event).select_related("user__profile").order_by("pk").first()
    if first is None:
        # Shown inside the frame, in place of the mail (an old tab, a new session).
        html = "<!DOCTYPE html><title>Preview</title><p>This preview is no longer kept; press Preview again.</p>"
    else:
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        html = message_preview.parts(message_preview.sample_mail(event, subject, body, first))["html"]
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = PREVIEW_POLICY
    response["Cache-Control"] = "no-store"
    return response


PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'; sandbox"
)


@login_required
@require_POST
def delivery_try_again(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    delivery = get_object_or_404(
        Delivery.objects.select_related("registration__user"), pk=pk, registration__event=event
    )
    if reminders.try_again(delivery, actor=request.user):
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
    event = managed_event(request, slug, need=VIEW)
    message = get_object_or_404(OrganiserMessage, pk=pk, event=event)
    return render(
        request,
        "desk/message_detail.html",
        {"event": event, "message": message, "status": _message_status(event, message), "worker": background_status()},
    )


@login_required
def message_status(request, slug, pk):
    """The progress page's status URL (static/js/progress.js polls it)."""
    event = managed_event(request, slug, need=VIEW)
    message = get_object_or_404(OrganiserMessage, pk=pk, event=event)
    return progress.status_response(_message_status(event, message))
