"""Read rules of delegations used in more than one place: an event's
settings (with their defaults), quotas, and who is whose focal point."""

from django.db.models import Q

from events.models import Event
from events.participation import ParticipationType

from .models import DelegationSettings, EconomyQuota, FocalPoint, Nomination

NOMINATED_TYPES = (ParticipationType.DELEGATE, ParticipationType.HEAD_OF_DELEGATION)
DEFAULT_QUOTA = 5


def defaults_for(event):
    """The settings of an event that has none saved: a plenary takes its
    delegates and heads of delegation by nomination only; other events
    take everyone as their registration page says."""
    nomination_only = [str(kind) for kind in NOMINATED_TYPES] if event.kind == Event.Kind.IPEG_MEETING else []
    return DelegationSettings(event=event, nomination_only=nomination_only, default_quota=DEFAULT_QUOTA)


def settings_for(event):
    saved = DelegationSettings.objects.filter(event=event).first()
    return saved if saved is not None else defaults_for(event)


def quota_for(event, economy, settings=None):
    own = EconomyQuota.objects.filter(event=event, economy=economy).values_list("quota", flat=True).first()
    if own is not None:
        return own
    return (settings or settings_for(event)).default_quota


def active_nominations(event, economy):
    """What counts against the quota: nominations still standing whose person
    is still registered (a delegate who cancelled frees their place)."""
    from registrations.models import Registration

    return Nomination.objects.filter(
        event=event, economy=economy, state__in=Nomination.ACTIVE, registration__status__in=Registration.ACTIVE
    )


def serving(event):
    """Focal points of ``event``: named for it, or for its meeting cluster."""
    scope = Q(event=event)
    if event.cluster_id is not None:
        scope |= Q(cluster_id=event.cluster_id)
    return FocalPoint.objects.filter(scope)


def is_focal_point(user, event, economy):
    return user.is_authenticated and serving(event).filter(user=user, economy=economy).exists()


def delegations_of(user):
    """[(event, economy code)] that ``user`` nominates for, in the order of
    the events; a cluster's focal point serves each of its events."""
    if not user.is_authenticated:
        return []
    points = list(FocalPoint.objects.filter(user=user).values_list("event_id", "cluster_id", "economy"))
    if not points:
        return []
    scope = Q(pk__in=[event for event, _, _ in points if event]) | Q(
        cluster_id__in=[cluster for _, cluster, _ in points if cluster]
    )
    events = Event.objects.filter(scope).exclude(status=Event.Status.CANCELLED).select_related("venue")
    result = []
    for event in events.order_by("starts_at", "pk"):
        economies = sorted(
            {economy for ev, cluster, economy in points if ev == event.pk or (cluster and cluster == event.cluster_id)}
        )
        result.extend((event, economy) for economy in economies)
    return result
