"""Setting up events without the Django admin: venues, meeting clusters, new
events, and each event's team (roles and invitations by e-mail). Every
function is one transaction and takes the acting user as ``actor`` (None for
the system)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import audit
from ops.dispatch import after_commit

from . import invitations, services, tasks
from .models import Event, EventInvitation, EventRole

Role = EventRole.Role


class LastOwner(ValidationError):
    pass


def save_venue(form, *, actor=None):
    """Save a bound, valid VenueForm (a new venue or an edit), logged."""
    return services.save_logged(form, actor=actor, kind="venue")


def save_cluster(form, *, actor=None):
    """Save a bound, valid MeetingClusterForm (a new cluster or an edit), logged."""
    return services.save_logged(form, actor=actor, kind="cluster")


@transaction.atomic
def create_event(form, *, owner, actor=None):
    """Create the event of a bound, valid EventForm as a draft; ``owner`` (its
    creator) becomes its owner."""
    event = services.save_event(form, actor=actor)
    membership = EventRole.objects.create(event=event, user=owner, role=Role.OWNER)
    _log(actor, "team.role_granted", membership, after={"role": Role.OWNER})
    return event


def _log(actor, action, membership, before=None, after=None):
    audit.record(
        actor, action, event=membership.event_id, obj=membership, before=before, after=after,
        label=f"{membership.user.email} on the team",
    )  # fmt: skip


def _locked(event):
    # One team change at a time per event, so two owners demoting each other
    # at once cannot leave the event without one.
    return Event.objects.select_for_update().get(pk=event.pk)


def _keep_an_owner(event, membership):
    if membership.role != Role.OWNER:
        return
    if not EventRole.objects.filter(event=event, role=Role.OWNER).exclude(pk=membership.pk).exists():
        raise LastOwner(
            f"{membership.user.display_name} is the only owner of this event: make someone else an owner first."
        )


@transaction.atomic
def set_role(membership, role, *, actor=None):
    """Give a member of the team another role."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    _locked(membership.event)
    membership = EventRole.objects.select_related("user", "event").get(pk=membership.pk)
    if membership.role == role:
        return membership
    if role != Role.OWNER:
        _keep_an_owner(membership.event, membership)
    before = {"role": membership.role}
    membership.role = role
    membership.save(update_fields=["role"])
    _log(actor, "team.role_changed", membership, before=before, after={"role": role})
    return membership


@transaction.atomic
def remove_member(membership, *, actor=None):
    """Take someone off the event's team (their role goes, their account stays)."""
    _locked(membership.event)
    membership = EventRole.objects.select_related("user", "event").get(pk=membership.pk)
    _keep_an_owner(membership.event, membership)
    _log(actor, "team.removed", membership, before={"role": membership.role}, after={"role": None})
    membership.delete()
    return membership


@transaction.atomic
def invite(event, email, role, *, actor=None):
    """Invite ``email`` to the event's team as ``role``: the invitation is
    written now and mailed after commit. Inviting an address again renews its
    open invitation (new role, new expiry, mailed again)."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    email = email.strip().lower()
    event = _locked(event)
    member = EventRole.objects.filter(event=event, user__email__iexact=email).select_related("user").first()
    if member is not None:
        raise ValidationError(
            f"{email} is already on the team as {member.get_role_display().lower()}; change their role instead."
        )
    now = timezone.now()
    invitation = EventInvitation.objects.filter(
        event=event, email=email, accepted_at=None, withdrawn_at=None
    ).first() or EventInvitation(event=event, email=email)
    invitation.role = role
    invitation.invited_by = actor if actor is not None and actor.is_authenticated else None
    invitation.created_at = now
    invitation.mailed_at = None
    invitation.save()
    audit.record(actor, "team.invited", event=event, obj=invitation, after={"email": email, "role": role})
    after_commit(tasks.send_invitation, invitation.pk)
    return invitation


@transaction.atomic
def withdraw_invitation(invitation, *, actor=None):
    invitation = EventInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_open:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        audit.record(actor, "team.invitation_withdrawn", event=invitation.event_id, obj=invitation)
    return invitation


@transaction.atomic
def accept_invitation(invitation, user, *, actor=None):
    """Grant the invitation's role to ``user`` (signed in, and either holding
    the invited address verified or having confirmed). Someone already on the
    team gets the invited role, except that an owner stays an owner."""
    invitation = EventInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise invitations.InvitationClosed(invitation)
    if invitations.has_expired(invitation):
        raise invitations.InvitationExpired(invitation)
    _locked(invitation.event)
    membership, created = EventRole.objects.get_or_create(
        event=invitation.event, user=user, defaults={"role": invitation.role}
    )
    if created:
        _log(actor, "team.role_granted", membership, after={"role": membership.role})
    elif membership.role != Role.OWNER and membership.role != invitation.role:
        before = {"role": membership.role}
        membership.role = invitation.role
        membership.save(update_fields=["role"])
        _log(actor, "team.role_changed", membership, before=before, after={"role": membership.role})
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invited_account(invitation):
    """The account whose verified address is the invited one, if any."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=invitation.email, verified=True).select_related("user").first()
    return address.user if address is not None else None
