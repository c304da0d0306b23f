"""Registration e-mails: text and HTML, each with an .ics attached.

``queue`` is what services call: it sends nothing itself, it schedules the
Celery task for after the transaction commits, so a rolled-back change never
mails anyone and the request never waits for SMTP.
"""

from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from events.calendar import registration_invitation
from events.timezones import zone_label

from .checkin import checkin_url, qr_png
from .models import Registration

KINDS = {
    # kind: (subject prefix, headline, calendar method)
    "confirmed": ("Registration confirmed", "Your seat is confirmed.", "REQUEST"),
    "approved": (
        "Registration approved",
        "The organisers approved your registration; your seat is confirmed.",
        "REQUEST",
    ),
    "promoted": (
        "A seat is yours",
        "A seat became free and it is yours: your registration is now confirmed.",
        "REQUEST",
    ),
    "waitlisted": (
        "On the waiting list",
        "The event is full, so you are on the waiting list. We will tell you at once if a seat becomes free.",
        "PUBLISH",
    ),
    "pending": ("Registration received", "Your registration is waiting for the organisers' approval.", "PUBLISH"),
    "declined": ("Registration declined", "The organisers could not accept your registration.", "CANCEL"),
    "cancelled": ("Registration cancelled", "Your registration is cancelled.", "CANCEL"),
}


def queue(registration, kind):
    from .tasks import send_registration_mail

    pk = registration.pk
    transaction.on_commit(lambda: send_registration_mail.delay(pk, kind))


def _when(event):
    start, end = event.starts_at.astimezone(event.tz), event.ends_at.astimezone(event.tz)
    if start.date() == end.date():
        text = f"{start:%A %-d %B %Y, %H:%M}–{end:%H:%M}"
    else:
        text = f"{start:%A %-d %B %Y, %H:%M} – {end:%A %-d %B %Y, %H:%M}"
    return f"{text} ({event.venue.timezone}, {zone_label(start)})"


def build(registration, kind):
    subject_prefix, headline, method = KINDS[kind]
    event = registration.event
    site = settings.SITE_URL
    context = {
        "registration": registration,
        "event": event,
        "headline": headline,
        "when": _when(event),
        "event_url": f"{site}{event.get_absolute_url()}",
        "agenda_url": f"{site}{reverse('events:agenda', args=[event.slug])}",
        "registrations_url": f"{site}{reverse('registrations:mine')}",
        "seat_held": method == "REQUEST",
    }
    message = EmailMultiAlternatives(
        subject=f"{subject_prefix}: {event.title}",
        body=render_to_string("emails/registration.txt", context),
        to=[registration.user.email],
    )
    message.attach_alternative(render_to_string("emails/registration.html", context), "text/html")
    message.attach(
        f"{event.slug}.ics", registration_invitation(registration, method), f"text/calendar; method={method}"
    )
    if method == "REQUEST":
        # The check-in QR code, shown inline by the HTML part (cid:checkin-qr).
        image = MIMEImage(qr_png(checkin_url(registration)), "png")
        image.add_header("Content-ID", "<checkin-qr>")
        image.add_header("Content-Disposition", "inline", filename="check-in.png")
        message.attach(image)
    return message


def send(registration_id, kind):
    registration = (
        Registration.objects.select_related("event__venue", "user__profile").filter(pk=registration_id).first()
    )
    if registration is None:
        return 0
    return build(registration, kind).send()
