"""Registration e-mails leave only after the transaction commits, in text and
HTML, with the event in the venue's local time and an .ics invitation."""

import pytest
from django.core import mail
from django.db import transaction
from icalendar import Calendar

from registrations import services

pytestmark = pytest.mark.django_db


def ics_of(message):
    # Files are (filename, content, mimetype) tuples; the inline QR image is a MIME part.
    (content,) = [a[1] for a in message.attachments if isinstance(a, tuple) and a[2].startswith("text/calendar")]
    return Calendar.from_ical(content)


def html_of(message):
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_confirmation_mail_has_local_times_links_and_a_request_invitation(
    workshop, people, django_capture_on_commit_callbacks
):
    (user,) = people(1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(workshop, user)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == f"Registration confirmed: {workshop.title}"
    local = workshop.starts_at.astimezone(workshop.tz)
    assert f"{local:%H:%M}" in message.body and "Pacific/Auckland" in message.body
    assert f"/events/{workshop.slug}/agenda/" in message.body
    assert "Dear Delegate 0" in message.body
    assert 'src="cid:checkin-qr"' in html_of(message)
    calendar = ics_of(message)
    assert calendar["METHOD"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{workshop.uid}@ipeg-events"
    assert vevent["DTSTART"].dt == workshop.starts_at
    assert vevent["DTSTART"].params["TZID"] == "Pacific/Auckland"
    assert str(vevent["ATTENDEE"]) == f"mailto:{user.email}"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Pacific/Auckland"
    assert registration.status == "confirmed"


def test_waiting_list_promotion_and_cancellation_mails(workshop, people, django_capture_on_commit_callbacks):
    users = people(3)
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.register(workshop, user) for user in users]
    assert mail.outbox[2].subject.startswith("On the waiting list:")
    assert ics_of(mail.outbox[2])["METHOD"] == "PUBLISH"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registrations[0], actor=None)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[users[0].email].startswith("Registration cancelled:")
    assert subjects[users[2].email].startswith("A seat is yours:")
    cancel = next(m for m in mail.outbox if m.to == [users[0].email])
    assert ics_of(cancel)["METHOD"] == "CANCEL"
    assert ics_of(cancel).walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_pending_approval_and_decline_mails_carry_the_reason(workshop, people, django_capture_on_commit_callbacks):
    workshop.approval_required_for = ["delegate"]
    workshop.save()
    (user,) = people(1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(workshop, user)
        services.decline(registration, "Nominations come through the economy's IPEG contact point.", actor=None)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Registration received", "Registration declined"]
    assert "Nominations come through the economy's IPEG contact point." in mail.outbox[1].body


def test_no_mail_when_the_transaction_rolls_back(workshop, people, django_capture_on_commit_callbacks):
    (user,) = people(1)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.register(workshop, user)
                raise RuntimeError("something later in the same request failed")
        except RuntimeError:
            pass
    assert mail.outbox == []


def test_user_text_is_escaped_in_html_mail(workshop, db, django_capture_on_commit_callbacks):
    from ..factories import make_user

    user = make_user("x@example.org", full_name="<img src=x onerror=alert(1)>")
    with django_capture_on_commit_callbacks(execute=True):
        services.register(workshop, user)
    html = html_of(mail.outbox[0])
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x onerror=alert(1)>" in mail.outbox[0].body  # plain text shows it as typed
