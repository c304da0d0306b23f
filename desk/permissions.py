"""Who may use which organiser page, decided here and nowhere else.

Every desk view of an event reaches it through ``managed_event`` and says what
it needs:

- ``VIEW``: read the desk (event details, agenda, documents list, registrations
  list, messages). Any request but GET or HEAD needs ``ORGANISE`` instead, so
  a viewer can read every such page and change nothing.
- ``CHECK_IN``: the check-in pages at the door.
- ``ORGANISE``: change anything of the event, and every page or file holding
  personal data beyond the lists (a registration's own page with dietary,
  accessibility and passport details; CSV/Excel exports; letters; badge sheets
  and participant lists).
- ``ROLES``: the event's team: roles and invitations.

What each role may do (staff may do everything on every event):

=============  ====  ========  ========  =====
role           VIEW  CHECK_IN  ORGANISE  ROLES
=============  ====  ========  ========  =====
owner          yes   yes       yes       yes
organiser      yes   yes       yes       no
check-in staff no    yes       no        no
viewer         yes   no        no        no
=============  ====  ========  ========  =====

Someone with no role on the event gets a 404 for its desk pages, exactly as if
it did not exist; someone with a role that does not allow the page gets a 403.
``Event.objects.managed_by`` (events whose desk a user may open at all) and
``User.is_organiser`` (who must use two-factor sign-in) both count every role;
``Event.objects.organised_by`` (who reads documents for organisers only) counts
the roles with ``ORGANISE``, owner and organiser.
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import CharField, OuterRef, Subquery, Value
from django.shortcuts import get_object_or_404

from events.models import Event, EventRole
from registrations import queries

VIEW, CHECK_IN, ORGANISE, ROLES = "view", "check_in", "organise", "roles"
NEEDS = (VIEW, CHECK_IN, ORGANISE, ROLES)
Role = EventRole.Role

ALLOWS = {
    Role.OWNER: frozenset(NEEDS),
    Role.ORGANISER: frozenset({VIEW, CHECK_IN, ORGANISE}),
    Role.CHECK_IN: frozenset({CHECK_IN}),
    Role.VIEWER: frozenset({VIEW}),
}
# ORGANISE goes to exactly the roles the events app counts as organising
# (``EventRole.ORGANISING``, read by ``Event.objects.organised_by``: who may
# read documents for organisers only): one rule, checked here at start-up.
if {role for role, allowed in ALLOWS.items() if ORGANISE in allowed} != set(EventRole.ORGANISING):
    raise ImproperlyConfigured("desk ALLOWS must grant ORGANISE to exactly EventRole.ORGANISING")
STAFF = frozenset(NEEDS)
SAFE_METHODS = ("GET", "HEAD")


class DeskAccess:
    """What one user may do on one event's desk; templates read it as
    ``event.desk`` (``event.desk.organise``, ``event.desk.roles`` …) to show
    only the links and buttons that will work."""

    def __init__(self, role, allowed):
        self.role = role
        self.allowed = allowed

    def __contains__(self, need):
        return need in self.allowed

    @property
    def view(self):
        return VIEW in self.allowed

    @property
    def check_in(self):
        return CHECK_IN in self.allowed

    @property
    def organise(self):
        return ORGANISE in self.allowed

    @property
    def roles(self):
        return ROLES in self.allowed

    @property
    def role_label(self):
        return Role(self.role).label if self.role else "Staff"

    @property
    def start_url_name(self):
        """The first page of the event's desk this user may open."""
        return "desk:event" if self.view else "desk:checkin"


def _role_of(user):
    # Read with the event in one query.
    if not user.is_authenticated:
        return Value(None, output_field=CharField())
    return Subquery(EventRole.objects.filter(event=OuterRef("pk"), user=user).values("role")[:1])


def access_for(user, role):
    """``role`` is the user's EventRole.role on the event (None if none)."""
    if user.is_staff:
        return DeskAccess(role, STAFF)
    return DeskAccess(role, ALLOWS.get(role, frozenset()))


def effective_need(request, need):
    if need not in NEEDS:
        raise ValueError(f"unknown desk need {need!r}")
    if need == VIEW and request.method not in SAFE_METHODS:
        return ORGANISE
    return need


def managed_event(request, slug, need=ORGANISE):
    """The event of ``slug`` if the signed-in user may do what ``need`` says
    there; 404 when they have no role on it, 403 when their role does not
    allow it. The event carries the user's access as ``event.desk``."""
    user = request.user
    events = Event.objects.managed_by(user).select_related("venue").annotate(desk_role=_role_of(user))
    event = get_object_or_404(events, slug=slug)
    access = access_for(user, event.desk_role)
    if effective_need(request, need) not in access:
        raise PermissionDenied(f"Your role on this event ({access.role_label.lower()}) does not allow this page.")
    event.desk = access
    return event


def managed_registration(request, slug, uid, need=ORGANISE):
    event = managed_event(request, slug, need=need)
    return event, get_object_or_404(queries.of_event(event), uid=uid)


def desk_events(user):
    """The events of the desk's home page, each with its ``desk`` access."""
    events = list(
        Event.objects.managed_by(user)
        .select_related("venue", "cluster", "current_version")
        .annotate(desk_role=_role_of(user))
        .order_by("-starts_at")
    )
    for event in events:
        event.desk = access_for(user, event.desk_role)
    return events


def can_create(user, model_name):
    """Creating venues, meeting clusters, events and speakers: the Organisers
    group's add_<model> permissions, or staff."""
    return user.is_authenticated and (user.is_staff or user.has_perm(f"events.add_{model_name}"))


def require_create(user, model_name):
    if not can_create(user, model_name):
        raise PermissionDenied("Your account may not create these; ask the IPEG secretariat.")
