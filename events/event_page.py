"""What the event page says to its reader beyond the event itself: the
registration window in plain words, and — through hooks that the
registrations app registers when it starts, since events may not import it —
the reader's own registration and the seats left."""

from django.utils import timezone

from .timezones import short_offset, zone_place

# Each ``hook(request, event) -> dict`` adds to the event page's context.
# registrations/apps.py adds ``registrations.queries.event_page_context``
# (keys ``registration``, ``seats_left``, ``registration_closed``).
_context_hooks = []


def add_event_page_context(hook):
    _context_hooks.append(hook)


def _when(value, zone, year=True):
    local = value.astimezone(zone)
    day = f"{local.day} {local:%B %Y}" if year else f"{local.day} {local:%B}"
    return f"{day}, {local:%H:%M} {zone_place(zone)} time ({short_offset(local)})"


def registration_window(event, now=None):
    """('open' | 'not_yet' | 'closed', sentence) or None for events that take
    no registrations (drafts, cancelled ones). E.g. 'Registration is open
    until 14 March 2031, 17:00 Auckland time (UTC+13).'"""
    if event.status != event.Status.PUBLISHED:
        return None
    now = now or timezone.now()
    zone = event.tz
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if event.ends_at <= now:
        return ("closed", "Registration is closed: the event has taken place.")
    if opens and now < opens:
        sentence = f"Registration opens on {_when(opens, zone)}"
        if closes:
            sentence += f" and closes on {_when(closes, zone)}"
        return ("not_yet", sentence + ".")
    if closes and now >= closes:
        return ("closed", f"Registration closed on {_when(closes, zone)}.")
    if closes:
        return ("open", f"Registration is open until {_when(closes, zone)}.")
    return ("open", "Registration is open until the event begins.")


def event_page_context(request, event):
    context = {"registration_window": registration_window(event)}
    for hook in _context_hooks:
        context.update(hook(request, event))
    return context
