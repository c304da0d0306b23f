"""One-click unsubscribe from optional mails (RFC 8058): the link in every
optional mail carries a signed, timestamped token, so it works without signing
in, for ``UNSUBSCRIBE_MAX_AGE`` after the mail was made."""

from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from .models import ParticipantProfile
from .notifications import UNSUBSCRIBE_MAX_AGE, unsubscribe_signer

LABELS = {
    "event_reminder": "reminders before your events",
    "agenda_change": "notices when an agenda changes",
    "organiser_message": "messages from the organisers of your events",
    "starting_soon": "reminders before the sessions you starred",
}


def _refused(request, *, expired):
    """Not a 500 nor a bare error: the way to the same setting without the link."""
    return render(
        request,
        "registrations/unsubscribe_refused.html",
        {"expired": expired, "max_age_days": UNSUBSCRIBE_MAX_AGE.days},
        # 410: the link was genuine and is gone for good; 404: it never was one.
        status=410 if expired else 404,
    )


# Mail clients send the one-click POST without a CSRF token; the signed token
# in the URL is what authorises it, and it can only turn a mail kind off.
@csrf_exempt
def unsubscribe(request, token):
    try:
        data = unsubscribe_signer().unsign_object(token, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired:  # checked after the signature: only genuine links expire
        return _refused(request, expired=True)
    except signing.BadSignature:
        return _refused(request, expired=False)
    kind = data.get("kind") if isinstance(data, dict) else None
    field = ParticipantProfile.OPTIONAL_MAILS.get(kind)
    profile = ParticipantProfile.objects.filter(user_id=data.get("user")).first() if field else None
    if profile is None:
        return _refused(request, expired=False)
    done = request.method == "POST"
    if done:
        setattr(profile, field, False)
        profile.save(update_fields=[field])
    return render(request, "registrations/unsubscribe.html", {"label": LABELS[kind], "done": done})
