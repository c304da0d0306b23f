"""Invitations to an event's team: the signed, expiring token in the mail's
link, and the mail itself.

The token signs the invitation's id with the time it was made (Django's
TimestampSigner), so a link works for INVITATION_MAX_AGE and a changed
character makes it worthless. The invitation row is written in the
transaction that invites (events/organising.py) and mailed after commit by
``tasks.send_invitation``; an owner can send it again from the Team page."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import EventInvitation

SALT = "ipeg-events.event-invitation"
# Long enough for someone travelling between meetings to find the mail and
# create an account; short enough that a forgotten link does not open a desk
# months later. An owner re-sends an expired invitation in one click.
INVITATION_MAX_AGE = timedelta(days=14)


class InvitationRefused(Exception):
    status = 404
    title = "This invitation link does not work"

    def __init__(self, invitation=None):
        super().__init__(self.title)
        self.invitation = invitation


class InvitationInvalid(InvitationRefused):
    """The link was changed or cut short, or names no invitation."""


class InvitationExpired(InvitationRefused):
    status = 410
    title = "This invitation has expired"


class InvitationClosed(InvitationRefused):
    status = 410
    title = "This invitation was already used or withdrawn"


def _signer():
    return signing.TimestampSigner(salt=SALT)


def token_for(invitation):
    # The time it was made, too: re-sending an invitation renews it, and links
    # to its earlier sending then stop working with it.
    return _signer().sign_object({"i": invitation.pk, "t": int(invitation.created_at.timestamp())})


def accept_url(invitation):
    return f"{settings.SITE_URL}{reverse('desk:invitation', args=[token_for(invitation)])}"


def has_expired(invitation, now=None):
    return (now or timezone.now()) - invitation.created_at > INVITATION_MAX_AGE


def invitation_from_token(token):
    """The invitation a token names, or InvitationInvalid / InvitationExpired /
    InvitationClosed saying why the link cannot be used."""
    try:
        data = _signer().unsign_object(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvitationExpired() from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvitationInvalid() from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise InvitationInvalid()
    invitation = EventInvitation.objects.select_related("event__venue", "invited_by").filter(pk=data["i"]).first()
    if invitation is None:
        raise InvitationInvalid()
    if data.get("t") != int(invitation.created_at.timestamp()):
        raise InvitationExpired(invitation)  # superseded by a newer sending
    if not invitation.is_open:
        raise InvitationClosed(invitation)
    if has_expired(invitation):
        raise InvitationExpired(invitation)
    return invitation


def build(invitation):
    event = invitation.event
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "event": event,
        "role": invitation.get_role_display(),
        "inviter": inviter.display_name if inviter else "The IPEG Events team",
        "accept_url": accept_url(invitation),
        "expires": (invitation.created_at + INVITATION_MAX_AGE).strftime("%-d %B %Y"),
    }
    message = EmailMultiAlternatives(
        subject=f"Invitation: {context['role']} of {event.title}",
        body=render_to_string("emails/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(render_to_string("emails/invitation.html", context), "text/html")
    return message


def send(invitation_id):
    """Mail an invitation not mailed yet (the row is locked meanwhile, so two
    workers handed the same one send it once)."""
    with transaction.atomic():
        invitation = (
            # Only the invitation row: PostgreSQL cannot lock the nullable
            # side of the outer join to the inviter.
            EventInvitation.objects.select_for_update(of=("self",))
            .select_related("event", "invited_by")
            .filter(pk=invitation_id, mailed_at=None, accepted_at=None, withdrawn_at=None)
            .first()
        )
        if invitation is None:
            return False
        build(invitation).send()
        invitation.mailed_at = timezone.now()
        invitation.save(update_fields=["mailed_at"])
    return True
