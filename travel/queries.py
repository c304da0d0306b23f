"""Read rules of travel funding used by the services, the traveller's pages
and the desk: an event's settings, places per economy, the travellers with
what backs their claims."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from attendance import sessions as session_queries
from attendance.models import AttendanceMark
from registrations.models import Registration

from .models import MEMBER_ECONOMIES, FundedTraveller, TravelEligibility, TravelFunding, TravelPlaces


def settings_of(event):
    """The event's settings, or the defaults (unsaved) when none were set."""
    return TravelFunding.objects.filter(event=event).first() or TravelFunding(event=event)


def eligible_codes():
    return set(TravelEligibility.objects.filter(eligible=True).values_list("economy", flat=True))


def places_of(event, economy, settings_row):
    """How many travellers ``economy`` may have funded at ``event``."""
    own = TravelPlaces.objects.filter(event=event, economy=economy).values_list("places", flat=True).first()
    return settings_row.places_per_economy if own is None else own


@dataclass
class Places:
    economy: str
    name: str
    places: int
    used: int
    own: bool  # the economy's own number, not the event's places per economy

    @property
    def left(self):
        return max(self.places - self.used, 0)


def places(event, settings_row=None, eligible=None):
    """Funded places used and left per eligible economy, in APEC's order of names."""
    settings_row = settings_row or settings_of(event)
    eligible = eligible_codes() if eligible is None else eligible
    used = dict(
        FundedTraveller.objects.filter(registration__event=event)
        .values("economy")
        .annotate(n=Count("pk"))
        .values_list("economy", "n")
    )
    own = dict(TravelPlaces.objects.filter(event=event).values_list("economy", "places"))
    return [
        Places(code, name, own.get(code, settings_row.places_per_economy), used.get(code, 0), code in own)
        for code, name in MEMBER_ECONOMIES
        if code in eligible or used.get(code) or code in own
    ]


@dataclass
class Backing:
    """The attendance that backs a claim."""

    sessions: int
    of_sessions: int
    share: int  # per cent of the meeting's session time
    checked_in: bool


def travellers(event):
    """The event's funded travellers, each with ``document_count`` and
    ``backing``; a fixed number of queries whatever their number."""
    rows = list(
        FundedTraveller.objects.filter(registration__event=event)
        .select_related("registration__user__profile")
        .annotate(document_count=Count("documents"))
        .order_by("economy", "registration__user__profile__full_name", "pk")
    )
    return with_backing(event, rows)


def with_backing(event, travellers):
    """Sets ``backing`` on each traveller (three queries for any number)."""
    sessions = session_queries.sessions_of(event)
    total = sum(session_queries.minutes(item) for item in sessions)
    by_uid = {item.uid: item for item in sessions}
    attended = defaultdict(list)
    marks = AttendanceMark.objects.filter(
        registration_id__in=[row.registration_id for row in travellers], item_uid__in=by_uid
    )
    for registration_id, uid in marks.values_list("registration_id", "item_uid"):
        attended[registration_id].append(by_uid[uid])
    for row in travellers:
        items = attended[row.registration_id]
        minutes = sum(session_queries.minutes(item) for item in items)
        row.backing = Backing(
            sessions=len(items),
            of_sessions=len(sessions),
            share=round(100 * minutes / total) if total else 0,
            checked_in=row.registration.checked_in_at is not None,
        )
    return travellers


def fundable(event, eligible=None):
    """Seated, unfunded registrations from travel-eligible economies, by name."""
    eligible = eligible_codes() if eligible is None else eligible
    return (
        Registration.objects.filter(event=event, status__in=Registration.SEATED, economy__in=eligible)
        .exclude(funded_traveller__isnull=False)
        .select_related("user__profile")
        .order_by("economy", "user__profile__full_name", "pk")
    )


def traveller_of(registration):
    return FundedTraveller.objects.filter(registration=registration).first()
