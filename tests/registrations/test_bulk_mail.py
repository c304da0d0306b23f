"""The faster e-mail serialisation writes what the standard library would."""

import email
from email import policy

import pytest
from django.core.mail import EmailMultiAlternatives

from registrations.bulk_mail import SHORT_HEADER_POLICY, BulkEmail

SUBJECTS = [
    "Reminder: IPEG workshop starts on Thursday 26 November at 10:00 (NZDT, UTC+13:00)",  # folded: > 78
    "Hui ki Tāmaki Makaurau — kōrero mō ngā mana ā-hinengaro",  # non-ASCII
    "Short and plain",
    "x" * 69,  # "Subject: " + 69 characters: exactly 78
]


def build(cls, subject, name="Aroha Ngata"):
    message = cls(
        subject=subject,
        body=f"Dear {name},\n\nFrom 09:00 (NZDT, UTC+13:00).\nFrom the organisers\n",
        to=[f"{name} <aroha@example.org>"],
        headers={"Message-ID": "<delivery-7@ipeg-events>", "List-Unsubscribe": "<https://e.example/u/abc/>"},
    )
    message.attach_alternative(f"<p>Dear {name},</p>", "text/html")
    message.attach("event.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return message


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("name", ["Aroha Ngata", "Đặng Thị Hương"])
def test_the_bytes_are_the_standard_librarys(subject, name, settings):
    settings.EMAIL_USE_LOCALTIME = False
    fast = build(BulkEmail, subject, name).message()
    plain = build(EmailMultiAlternatives, subject, name).message()
    del plain["Date"]
    plain["Date"] = fast["Date"]
    # Same boundaries, so that only header folding and serialisation differ.
    for ours, theirs in zip(
        (p for p in fast.walk() if p.is_multipart()), (p for p in plain.walk() if p.is_multipart()), strict=True
    ):
        theirs.set_boundary(ours.get_boundary())
    # Header order: "Date" was replaced above, so compare the parsed headers and the bodies.
    fast_bytes, plain_bytes = fast.as_bytes(linesep="\r\n"), plain.as_bytes(linesep="\r\n")
    assert sorted(fast_bytes.split(b"\r\n")) == sorted(plain_bytes.split(b"\r\n"))
    assert max(len(line) for line in fast_bytes.split(b"\r\n")) <= 78
    parsed = email.message_from_bytes(fast_bytes, policy=policy.default)
    # compat32 starts a folded encoded subject on the next line, which reads
    # back with a leading space; mail clients drop it.
    assert parsed["Subject"].lstrip() == subject
    assert parsed.get_body(("plain",)).get_content().startswith(f"Dear {name},")


def test_every_message_has_its_own_boundaries():
    first, second = build(BulkEmail, "A").message(), build(BulkEmail, "A").message()
    boundaries = [p.get_boundary() for m in (first, second) for p in m.walk() if p.is_multipart()]
    assert len(boundaries) == len(set(boundaries)) == 4


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Note", "a\x0cb"),  # a form feed: the standard library breaks the line there
        ("X-Note", "a\x0bb\x1cc"),
        ("X-Note", "  leading and trailing  "),
        ("X-Note", "tab\tinside"),
        ("X-" + "N" * 70, "x"),  # the name alone nearly fills the line
        ("Subject", "y" * 69),
        ("Subject", "y" * 70),
    ],
)
@pytest.mark.parametrize("max_line_length", [78, 0, None])
def test_each_header_is_written_as_the_standard_library_writes_it(name, value, max_line_length):
    ours = SHORT_HEADER_POLICY.clone(linesep="\r\n", max_line_length=max_line_length)
    theirs = policy.compat32.clone(linesep="\r\n", max_line_length=max_line_length)
    assert ours.fold(name, value) == theirs.fold(name, value)
    assert ours.fold_binary(name, value) == theirs.fold_binary(name, value)
