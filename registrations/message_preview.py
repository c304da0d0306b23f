"""What an organiser sees before a message goes out: how many people the
chosen filters select, who they are (the first few), and the mail exactly as
the first of them will get it; and a test of that mail sent to the organiser.

The mail is built by ``notifications.build_delivery``, the function the worker
sends every organiser message with, from an unsaved message and an unsaved
delivery row for the first recipient: no second template path, so the preview
cannot drift from the real mail. Its unsubscribe link is made inert (a preview
must not hand the organiser a working link that turns a participant's messages
off)."""

from email.utils import make_msgid

from .models import Delivery, OrganiserMessage
from .notifications import SharedParts, build_delivery

NAMES_SHOWN = 10
PREVIEW_KEY = "m-preview"


def recipients_summary(registrations):
    """(count, the first NAMES_SHOWN registrations), in the order the preview
    and the test use: the first is the one the mail is built for."""
    ordered = registrations.select_related("user__profile").order_by("pk")
    return registrations.count(), list(ordered[:NAMES_SHOWN])


def sample_mail(event, subject, body, registration):
    """The mail ``registration``'s participant would get for this message."""
    message = OrganiserMessage(event=event, subject=subject, body=body)
    delivery = Delivery(registration=registration, kind=Delivery.Kind.ORGANISER_MESSAGE, key=PREVIEW_KEY)
    registration.event = event  # its venue is loaded already
    mail = build_delivery(delivery, SharedParts({("message", PREVIEW_KEY): message}), sample=True)
    mail.extra_headers["Message-ID"] = make_msgid(domain="ipeg-events")
    return mail


def parts(mail):
    """What the preview shows: the subject line, the text part, the HTML part."""
    html = next((content for content, kind in mail.alternatives if kind == "text/html"), "")
    return {"subject": mail.subject, "text": mail.body, "html": html}


def send_test(mail, address):
    """The sample mail to the organiser's own address, now, marked "[Test]".

    Sent in the request through the configured mail connection, not as a
    delivery row for the worker: a delivery row belongs to a registration (a
    test has none, and must neither count as a mail to participants nor show
    among their undelivered mail), and the organiser is waiting for the answer,
    so a refused or unreachable server is reported on the page at once rather
    than retried unseen. Raises what the connection raises."""
    mail.to = [address]
    mail.subject = f"[Test] {mail.subject}"
    # No one-click unsubscribe for a test: its link is inert anyway.
    mail.extra_headers.pop("List-Unsubscribe", None)
    mail.extra_headers.pop("List-Unsubscribe-Post", None)
    mail.send(fail_silently=False)
