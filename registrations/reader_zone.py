"""A signed-in reader's chosen time zone, kept in their profile: the lookup
and the saver that events.reader_zone uses (registered in apps.py)."""

from .models import ParticipantProfile


def profile_zone(request):
    """The zone saved in the reader's profile, "" when none (or no profile).
    One query, once per request (events.reader_zone caches the answer)."""
    name = ParticipantProfile.objects.filter(user=request.user).values_list("time_zone", flat=True).first()
    return name or ""


def save_profile_zone(request, name):
    """Remember a zone chosen on a page; a reader without a profile yet keeps
    it in the cookie only (a profile needs a name and an economy)."""
    ParticipantProfile.objects.filter(user=request.user).exclude(time_zone=name).update(time_zone=name)
