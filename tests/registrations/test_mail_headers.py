"""Every mail header built from people's text is one line: a title or subject
holding a line separator or a control character cannot end the Subject and
start a header of its own."""

import email
from email import policy

import pytest

from registrations import notifications, services
from registrations.models import Delivery, OrganiserMessage

pytestmark = pytest.mark.django_db

SEPARATORS = ["\r", "\n", "\r\n", "\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\t"]
IDS = [repr(c) for c in SEPARATORS]


def header_lines(message):
    """The serialised header block, split where a mail server would split it."""
    raw = message.message().as_bytes(linesep="\r\n")
    head = raw.split(b"\r\n\r\n", 1)[0]
    return head, email.message_from_bytes(raw, policy=policy.default)


def assert_one_line_subject(message, expected):
    head, parsed = header_lines(message)
    lines = head.split(b"\r\n")
    (at,) = [n for n, line in enumerate(lines) if line.startswith(b"Subject:")]
    # The subject is short enough not to be folded: a line after it that does
    # not start a header of its own would be a piece of it.
    assert at + 1 == len(lines) or not lines[at + 1][:1].isspace()
    for separator in ("\r", "\n", "\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"):
        assert separator.encode() not in lines[at]
    # Nothing the text carried became a header of its own.
    assert not [line for line in lines if line.lower().startswith(b"reply-to")]
    assert parsed.get_all("Reply-To") is None
    assert " ".join(str(parsed["Subject"]).split()) == expected


@pytest.mark.parametrize("separator", SEPARATORS, ids=IDS)
def test_an_event_title_cannot_split_the_registration_subject(workshop, people, separator):
    workshop.title = f"Design workshop{separator}Reply-To: x@evil.example"
    workshop.save()
    (user,) = people(1)
    registration = services.register(workshop, user)
    message = notifications.build(registration, "confirmed")
    assert_one_line_subject(message, "Registration confirmed: Design workshop Reply-To: x@evil.example")
    # What the participant reads in the body keeps the title as saved.
    assert "Design workshop" in message.body


@pytest.mark.parametrize("separator", SEPARATORS, ids=IDS)
def test_an_organiser_subject_cannot_split_the_delivered_subject(workshop, people, organiser, separator):
    (user,) = people(1)
    registration = services.register(workshop, user)
    note = OrganiserMessage.objects.create(
        event=workshop,
        subject=f"Bus times{separator}Reply-To: x@evil.example",
        body="The bus leaves at 08:00.",
        filters={},
        created_by=organiser,
    )
    delivery = Delivery.objects.create(
        registration=registration, kind=Delivery.Kind.ORGANISER_MESSAGE, key=f"m{note.pk}", due_at=workshop.starts_at
    )
    message = notifications.build_delivery(delivery)
    assert_one_line_subject(message, f"Bus times Reply-To: x@evil.example [{workshop.title}]")
    assert "The bus leaves at 08:00." in message.body


def test_a_cancellation_notice_with_a_vertical_tab_in_the_title(workshop, people):
    workshop.title = "Penang workshop\x0bReply-To: x@evil.example"
    workshop.save()
    (user,) = people(1)
    registration = services.register(workshop, user)
    delivery = Delivery.objects.create(
        registration=registration, kind=Delivery.Kind.EVENT_CANCELLED, key="", due_at=workshop.starts_at
    )
    assert_one_line_subject(
        notifications.build_delivery(delivery), "Cancelled: Penang workshop Reply-To: x@evil.example"
    )
