"""The reader's own time zone, shown beside the venue's on the event, agenda
and My agenda pages, and remembered.

Design: one function, ``reader_zone(request)``, answers for every page:

1. ``?tz=<IANA name>`` on this request (the zone form; ``?tz=`` means venue
   time only) wins;
2. then, for a signed-in reader, the zone saved in their profile — read
   through a lookup that the registrations app registers at start-up
   (``add_profile_zone``), since events may not import registrations;
3. then the ``reader_tz`` cookie, which anonymous readers carry.

``remember_reader_zone(request, response)`` is called by those pages on the
way out: when the request chose a zone it sets (or, for venue time only,
deletes) the cookie and hands the choice to the registered savers, which
store it in the signed-in reader's profile. So a choice follows a signed-in
reader to other devices, and an anonymous reader keeps theirs in this browser.
The answer depends on the cookie, so it says ``Vary: Cookie``.

Only the zone's name is read from the reader; it selects among cached
renderings (the agenda's HTML is cached per version and zone), so nothing the
reader sends reaches a page but a name from the zone database.
"""

from django.conf import settings
from django.utils.cache import patch_vary_headers

from .timezones import zone_or_none

PARAM = "tz"
COOKIE = "reader_tz"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

_profile_lookups = []
_profile_savers = []


def add_profile_zone(lookup, save):
    """``lookup(request) -> name or ""`` reads a signed-in reader's saved zone
    ("" when none is saved); ``save(request, name)`` stores a choice ("" for
    venue time only). Registered by the registrations app (apps.py)."""
    _profile_lookups.append(lookup)
    _profile_savers.append(save)


def _chosen_name(request):
    if PARAM in request.GET:
        return request.GET.get(PARAM, "")
    if request.user.is_authenticated:
        for lookup in _profile_lookups:
            if name := lookup(request):
                return name
    return request.COOKIES.get(COOKIE, "")


def reader_zone(request):
    """The reader's chosen ZoneInfo, or None for venue time only. Computed
    once per request."""
    if not hasattr(request, "_reader_zone"):
        request._reader_zone = zone_or_none(_chosen_name(request))
    return request._reader_zone


def chose_unknown_zone(request):
    """True when this request asked for a zone the database does not know."""
    name = request.GET.get(PARAM, "")
    return bool(name) and zone_or_none(name) is None


def remember_reader_zone(request, response):
    patch_vary_headers(response, ["Cookie"])
    if PARAM not in request.GET or chose_unknown_zone(request):
        return response
    zone = reader_zone(request)
    if zone is None:
        response.delete_cookie(COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            COOKIE,
            zone.key,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
        )
    if request.user.is_authenticated:
        for save in _profile_savers:
            save(request, zone.key if zone else "")
    return response
