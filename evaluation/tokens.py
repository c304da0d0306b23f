"""The personal link of a survey mail: a signed token naming the invitation.
It works without signing in (a follow-up comes a year later, when people have
forgotten their password) and gives nothing but that one person's form."""

from django.core import signing

SALT = "ipeg-events.survey-invitation"


def token_for(invitation):
    return signing.Signer(salt=SALT).sign(f"{invitation.survey_id}.{invitation.pk}")


def ids_of(token):
    """(survey id, invitation id) that ``token`` names, or None for a token that
    is not one of ours or was changed."""
    try:
        survey_id, invitation_id = signing.Signer(salt=SALT).unsign(token).split(".")
        return int(survey_id), int(invitation_id)
    except (signing.BadSignature, ValueError):
        return None
