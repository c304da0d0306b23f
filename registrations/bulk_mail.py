"""A Django e-mail that serialises faster, for mails sent by the thousand.

Serialising a reminder with the standard library cost more than sending it
(bench/reminders.py): every header went through ``email.header.Header`` to be
folded, and every multipart boundary was checked against the whole text with a
regular expression compiled afresh, because each boundary is new. Neither
library we could use (Django, the standard library) offers a cheaper path, so
this module writes the two shortcuts by hand; a test proves the bytes are the
same as the standard library's wherever both apply.
"""

import secrets
from email.policy import Compat32

from django.core.mail import EmailMultiAlternatives

from events.text import one_line


class ShortHeaderPolicy(Compat32):
    """Django's policy (compat32), except that a plain ASCII header that fits on
    one line is written as it is: folding would not change it."""

    def _fits(self, name, value):
        return (
            isinstance(value, str)
            and value.isascii()
            # Header splits on every line boundary str.splitlines() knows (\v, \f, …).
            and len(value.splitlines()) <= 1
            and bool(self.max_line_length)  # 0 or None: compat32's own rules apply
            and len(name) + 2 + len(value) <= self.max_line_length
        )

    def fold(self, name, value):
        if self._fits(name, value):
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if self._fits(name, value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


SHORT_HEADER_POLICY = ShortHeaderPolicy()


class BulkEmail(EmailMultiAlternatives):
    """Every mail of the application. Its subject and extra headers are made
    one line here, so no caller can forget: a title holding a line separator
    (\v, \f, \x85, U+2028 …) would otherwise end the header and start another
    (a forged ``Reply-To:``), and CR or LF would make Django refuse the mail."""

    def message(self):
        self.subject = one_line(self.subject)
        self.extra_headers = {name: one_line(value) for name, value in self.extra_headers.items()}
        msg = super().message()
        msg.policy = SHORT_HEADER_POLICY
        # 128 random bits: no text can contain the boundary by chance, so the
        # generator's search for it in every part is not needed.
        token = secrets.token_hex(16)
        for number, part in enumerate(part for part in msg.walk() if part.is_multipart()):
            part.set_boundary(f"=_{token}_{number}")
        return msg
