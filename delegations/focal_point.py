"""What a focal point sees of their delegations on "My registrations"
(registrations/hooks.py calls ``my_delegations_section``): a way to their
delegation pages other than the appointment mail."""

from django.template.loader import render_to_string

from events.models import Event

from .models import FocalPoint


def my_delegations_section(request):
    """Links to each delegation the signed-in person nominates for (a
    cluster's focal point: to the list of its events), or "" for someone who
    is no focal point. One query."""
    if not request.user.is_authenticated:
        return ""
    points = list(
        FocalPoint.objects.filter(user=request.user)
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("event__venue", "cluster")
        .order_by("economy", "event__starts_at", "cluster__start_date", "pk")
    )
    if not points:
        return ""
    return render_to_string("delegations/_my_delegations.html", {"points": points}, request=request)
