"""One-click unsubscribe from optional mails (RFC 8058): the link in every
optional mail carries a signed token, so it works without signing in."""

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from .models import ParticipantProfile
from .notifications import UNSUBSCRIBE_SALT

LABELS = {
    "event_reminder": "reminders before your events",
    "agenda_change": "notices when an agenda changes",
    "organiser_message": "messages from the organisers of your events",
    "starting_soon": "reminders before the sessions you starred",
}


# Mail clients send the one-click POST without a CSRF token; the signed token
# in the URL is what authorises it, and it can only turn a mail kind off.
@csrf_exempt
def unsubscribe(request, token):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise Http404("This unsubscribe link is not valid.") from None
    kind = data.get("kind")
    field = ParticipantProfile.OPTIONAL_MAILS.get(kind)
    profile = ParticipantProfile.objects.filter(user_id=data.get("user")).first()
    if field is None or profile is None:
        raise Http404("This unsubscribe link is not valid.")
    done = request.method == "POST"
    if done:
        setattr(profile, field, False)
        profile.save(update_fields=[field])
    return render(request, "registrations/unsubscribe.html", {"label": LABELS[kind], "done": done})
