"""Registration e-mails: text and HTML, each with an .ics attached.

``queue`` is what services call: it sends nothing itself. It writes the mail
as a delivery row (registrations/reminders.py sends those) in the service's
transaction, so a rolled-back change never mails anyone, a committed one always
does, and the request never waits for SMTP.
"""

import uuid
from datetime import timedelta
from email.mime.image import MIMEImage
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.mail.message import SafeMIMEText
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from events import calendar_links, changelog
from events.calendar import registration_invitation, single_event
from events.models import AgendaVersion, PublishedItem
from events.services import version_snapshots
from events.timezones import city_label, zone_label
from ops.dispatch import after_commit

from .bulk_mail import BulkEmail
from .checkin import checkin_url, qr_png
from .models import Delivery, OrganiserMessage

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
    """Write the mail as a delivery row in the caller's transaction and hand it
    to a worker after commit. A rolled-back change mails nobody; a broker that is
    down when the change commits delays the mail until beat's sweep, never loses it."""
    from .tasks import send_now

    delivery = Delivery.objects.create(
        registration=registration,
        kind=Delivery.Kind.REGISTRATION,
        key=f"{kind}-{uuid.uuid4().hex[:16]}",
        due_at=timezone.now(),
        payload={"mail": kind},
    )
    after_commit(send_now, [delivery.pk])


def queue_many(mails):
    """``queue`` for a batch of [(registration, kind)]: the rows in one insert,
    handed to workers in claims of the sender's batch size after commit (a
    bulk decision on 500 people is 5 hand-offs, not 500)."""
    from .reminders import BATCH_SIZE
    from .tasks import send_now

    now = timezone.now()
    rows = Delivery.objects.bulk_create(
        [
            Delivery(
                registration=registration,
                kind=Delivery.Kind.REGISTRATION,
                key=f"{kind}-{uuid.uuid4().hex[:16]}",
                due_at=now,
                payload={"mail": kind},
            )
            for registration, kind in mails
        ],
        batch_size=1000,
    )
    ids = [row.pk for row in rows]
    for start in range(0, len(ids), BATCH_SIZE):
        after_commit(send_now, ids[start : start + BATCH_SIZE])


def _when(event):
    start, end = event.starts_at.astimezone(event.tz), event.ends_at.astimezone(event.tz)
    if start.date() == end.date():
        text = f"{start:%A %-d %B %Y, %H:%M}–{end:%H:%M}"
    else:
        text = f"{start:%A %-d %B %Y, %H:%M} – {end:%A %-d %B %Y, %H:%M}"
    return f"{text} ({city_label(start)}; {event.venue.timezone})"


def build(registration, kind, headers=None):
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
        # Google, Outlook.com, Microsoft 365 and .ics: while the registration stands.
        "calendar_links": calendar_links.event_links(event) if registration.is_active else [],
    }
    message = BulkEmail(
        subject=f"{subject_prefix}: {event.title}",
        body=render_to_string("emails/registration.txt", context),
        to=[registration.user.email],
        headers=headers,
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


UNSUBSCRIBE_SALT = "ipeg-events.unsubscribe"
# How long an unsubscribe link works after its mail is made. Long enough to
# outlast the mail's relevance (reminders and notices concern an event weeks
# away at most) and a reader's holiday or a slow inbox; short enough that an old
# mail, forwarded or left in a shared mailbox, cannot change someone's settings
# for years. After it, the reader signs in and changes the setting in their
# profile, which needs no link at all.
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)


def unsubscribe_signer():
    """Signs {"user", "kind"} with the time it was signed, so the link carries
    its own age (same format as ``signing.dumps``, so links already sent keep
    working until they are UNSUBSCRIBE_MAX_AGE old)."""
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)


def sample_unsubscribe_url():
    """Where a preview's or test mail's unsubscribe link points: a token that
    is no signature, so the link answers "not a valid link" and changes nothing."""
    before, after = _unsubscribe_path_around_token(*_url_setup())
    return f"{settings.SITE_URL}{before}sample-link-not-active{after}"


def unsubscribe_url(user, kind):
    token = unsubscribe_signer().sign_object({"user": user.pk, "kind": kind}, compress=True)
    before, after = _unsubscribe_path_around_token(*_url_setup())
    return f"{settings.SITE_URL}{before}{token}{after}"


def _url_setup():
    """What reversed URLs depend on besides their arguments: the key of the
    caches below, so that a changed prefix or URLconf is never served stale."""
    return get_script_prefix(), settings.ROOT_URLCONF, get_urlconf()


@lru_cache(maxsize=8)
def _unsubscribe_path_around_token(*url_setup):
    # Reversed once: every optional mail carries the link, and a signed token
    # (URL-safe base64 and ":") needs no quoting.
    before, after = reverse("unsubscribe", args=["TOKEN"]).split("TOKEN")
    return before, after


def _agenda_changes(event, payload):
    versions = {
        v.number: v for v in AgendaVersion.objects.filter(event=event, number__in=[payload.get("from"), payload["to"]])
    }
    before = versions.get(payload.get("from"))
    after = versions[payload["to"]]
    return after, changelog.compute(version_snapshots(before), version_snapshots(after))


@lru_cache(maxsize=256)
def _event_links(slug, site, *url_setup):
    # URL reversing cost more per mail than rendering it (bench/reminders.py):
    # the links of an event are the same for all its recipients.
    return {
        "event_url": f"{site}{reverse('events:detail', args=[slug])}",
        "agenda_url": f"{site}{reverse('events:agenda', args=[slug])}",
        "pdf_url": f"{site}{reverse('events:agenda_pdf', args=[slug])}",
        "documents_url": f"{site}{reverse('events:documents', args=[slug])}",
        "registrations_url": f"{site}{reverse('registrations:mine')}",
    }


class SharedParts(dict):
    """What the mails of one batch share, computed once per batch: an event's
    details, its changelog, an organiser's message. A batch is short-lived, so
    an edit made meanwhile shows in the next batch."""

    def get_or_compute(self, key, compute):
        if key not in self:
            self[key] = compute()
        return self[key]


def _event_facts(event):
    venue = event.venue
    where = ", ".join(part for part in (venue.name, venue.address, venue.city, venue.get_economy_display()) if part)
    links = _event_links(event.slug, settings.SITE_URL, *_url_setup())
    return {"when": _when(event), "where": where, "starts": _starts_phrase(event), **links}


def _reminder_lead(minutes):
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60)} days"
    return "one day" if minutes >= 24 * 60 else f"{minutes // 60} hours"


# Mails of kinds whose content another app owns (survey invitations and
# reminders: evaluation/), filled by that app's AppConfig.ready(), so the ledger
# sends them without registrations importing the app.
# kind -> callable(delivery, shared, sample) -> BulkEmail
MAIL_BUILDERS = {}


def build_delivery(delivery, shared=None, sample=False):
    """The mail of one delivery row; ``shared`` (a SharedParts kept for a batch)
    saves recomputing what its recipients have in common. ``sample``: a mail
    shown to or tried by an organiser (registrations/message_preview.py), whose
    unsubscribe link must not work for the participant it was built for."""
    shared = SharedParts() if shared is None else shared
    if delivery.kind in MAIL_BUILDERS:
        return MAIL_BUILDERS[delivery.kind](delivery, shared, sample)
    registration = delivery.registration
    if delivery.kind == delivery.Kind.REGISTRATION:
        return build(registration, delivery.payload["mail"], headers={"Message-ID": delivery.message_id})
    event = registration.event
    facts = shared.get_or_compute(("event", event.pk), lambda: _event_facts(event))
    context = {"registration": registration, "name": registration.user.display_name, "event": event, **facts}
    kind = delivery.kind
    if kind == "event_reminder":
        context["lead"] = _reminder_lead(int(delivery.key))
        subject = f"Reminder: {event.title} starts {facts['starts']}"
        template = "emails/reminder"
    elif kind == "agenda_change":
        version, entries = shared.get_or_compute(
            ("changes", event.pk, delivery.payload.get("from"), delivery.payload["to"]),
            lambda: _agenda_changes(event, delivery.payload),
        )
        context.update({"version": version, "entries": entries, "tz": event.tz})
        subject = f"Agenda updated (version {version.number}): {event.title}"
        template = "emails/agenda_change"
    elif kind == "organiser_message":
        message = shared.get_or_compute(
            ("message", delivery.key), lambda: OrganiserMessage.objects.get(pk=int(delivery.key[1:]), event=event)
        )
        context["message"] = message
        subject = f"{message.subject} [{event.title}]"
        template = "emails/organiser_message"
    elif kind == "starting_soon":
        item = shared.get_or_compute(
            ("item", event.current_version_id, delivery.key),
            lambda: PublishedItem.objects.get(version_id=event.current_version_id, uid=delivery.key),
        )
        start = item.starts_at.astimezone(event.tz)
        context.update({"item": item, "start": f"{start:%H:%M} ({zone_label(start)})"})
        subject = f"Starting at {start:%H:%M}: {item.title}"
        template = "emails/starting_soon"
    else:
        subject = f"Cancelled: {event.title}"
        template = "emails/event_cancelled"
    optional = kind in registration.user.profile.OPTIONAL_MAILS if hasattr(registration.user, "profile") else False
    headers = {"Message-ID": delivery.message_id}
    if optional:
        context["unsubscribe_url"] = sample_unsubscribe_url() if sample else unsubscribe_url(registration.user, kind)
        # RFC 8058 one-click unsubscribe, which mail clients show as a button.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = BulkEmail(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[registration.user.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    if kind == "event_reminder":
        # A reminder is not an invitation: the event's own entry (same UID as
        # the invitation and the feeds) is the same for everyone, so the whole
        # attachment is built once per batch. Serialising does not change a
        # MIME part, so the mails of a batch can share it.
        message.attach(shared.get_or_compute(("ics", event.pk), lambda: _calendar_part(event)))
    return message


def _calendar_part(event):
    part = SafeMIMEText(single_event(event).decode(), "calendar", settings.DEFAULT_CHARSET)
    part.add_header("Content-Disposition", "attachment", filename=f"{event.slug}.ics")
    return part


def _starts_phrase(event):
    start = event.starts_at.astimezone(event.tz)
    return f"on {start:%A %-d %B} at {start:%H:%M} ({zone_label(start)})"
