"""The short code shown on the room's screen, which participants type (or
scan as a QR) to mark themselves present.

Stateless: the code of a session for a time step is an HMAC of the event,
the session and the step under a key derived from SECRET_KEY, so every web
node computes the same code and nothing is stored. It changes every
ROTATION seconds; the current and the previous step's codes are accepted (a
code read just before it changed still works), any older one is refused as
expired, so a code photographed and sent to someone outside the room is
useless a few minutes later."""

import hmac
import re
import time
from datetime import UTC, datetime

from django.utils.crypto import salted_hmac

ROTATION = 120  # seconds
LENGTH = 6
# No 0/O, 1/I/L: read off a projector from the back of the room.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_NOT_IN_CODE = re.compile(r"[\s\-]")


class CodeRefused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def step_of(moment):
    return int(moment.timestamp()) // ROTATION


def code_for(event, item_uid, step):
    digest = salted_hmac("attendance.room_code", f"{event.pk}|{item_uid}|{step}").digest()
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return "".join(letters)


def current(event, item_uid, now):
    """(code, changes_at) for the screen."""
    step = step_of(now)
    return code_for(event, item_uid, step), datetime.fromtimestamp((step + 1) * ROTATION, UTC)


def normalise(text):
    """What the person typed, as a code: upper case, spaces and dashes dropped."""
    return _NOT_IN_CODE.sub("", (text or "")[:40]).upper()


def check(event, item_uid, text, now, opened_at):
    """Accept the session's current or previous code; refuse anything else
    with the reason. ``opened_at`` is when the session's window opened: codes
    since then that are no longer valid are 'expired', not 'wrong'."""
    code = normalise(text)
    if len(code) != LENGTH or any(letter not in ALPHABET for letter in code):
        raise CodeRefused(
            f"That is not a room code: a code has {LENGTH} letters and digits, as shown on the room's screen."
        )
    step = step_of(now)
    if any(hmac.compare_digest(code, code_for(event, item_uid, s)) for s in (step, step - 1)):
        return code
    for earlier in range(step - 2, max(step_of(opened_at) - 1, step - 2 - 24 * 3600 // ROTATION), -1):
        if hmac.compare_digest(code, code_for(event, item_uid, earlier)):
            raise CodeRefused("This code has expired: ask for the one on the screen now.")
    raise CodeRefused("That is not this session's code: check the session you chose and the code on its screen.")


def seconds_left(changes_at, now=None):
    return max(0, int(changes_at.timestamp() - (now.timestamp() if now else time.time())))
