"""The mails of delegations. A delegate's (nominated, pre-approved) goes
through the registrations app's delivery ledger, whose MAIL_BUILDERS this
module's ``build`` joins (DelegationsConfig.ready()); approval and decline are
the registration's own mails. A focal point has no registration, so their
appointment mail is sent by ``send_focal_point_mail`` once, under the row's
lock, as team invitations are."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from registrations.bulk_mail import BulkEmail

from .models import FocalPoint

SUBJECTS = {
    "nominated": "You are nominated",
    "pre_approved": "Your nomination is pre-approved",
}


def set_password_url(user):
    """A link to choose a first password (allauth's password reset by key),
    for an account made for the person; it stops working once used."""
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return f"{settings.SITE_URL}{path}"


def build(delivery, shared, sample=False):
    registration = delivery.registration
    user, event = registration.user, registration.event
    step = delivery.payload.get("step", "nominated")
    new_account = not sample and delivery.payload.get("new_account") and not user.has_usable_password()
    context = {
        "step": step,
        "name": user.display_name,
        "event": event,
        "registration": registration,
        "economy": registration.get_economy_display(),
        "by": delivery.payload.get("by", ""),
        "reason": delivery.payload.get("reason", ""),
        "details_url": f"{settings.SITE_URL}{reverse('delegations:details', args=[registration.uid])}",
        "set_password_url": set_password_url(user) if new_account else "",
        "starts": event.starts_at.astimezone(event.tz),
        "zone": event.venue.timezone,
    }
    message = BulkEmail(
        subject=f"{SUBJECTS.get(step, 'Your nomination')}: {event.title}",
        body=render_to_string("emails/nomination_notice.txt", context),
        to=[user.email],
        headers={"Message-ID": delivery.message_id},
    )
    message.attach_alternative(render_to_string("emails/nomination_notice.html", context), "text/html")
    return message


def send_focal_point_mail(point_id):
    with transaction.atomic():
        point = (
            FocalPoint.objects.select_for_update(of=("self",))
            .select_related("user__profile", "event__venue", "cluster", "appointed_by__profile")
            .filter(pk=point_id, mailed_at=None)
            .first()
        )
        if point is None:
            return False
        user = point.user
        context = {
            "name": user.display_name,
            "economy": point.get_economy_display(),
            "scope": point.event.title if point.event else f"the meetings of {point.cluster}",
            "by": point.appointed_by.display_name if point.appointed_by else "The APEC Secretariat",
            "delegations_url": f"{settings.SITE_URL}{reverse('delegations:mine')}",
            "set_password_url": "" if user.has_usable_password() else set_password_url(user),
        }
        message = EmailMultiAlternatives(
            subject=f"You are focal point of {context['economy']}: {context['scope']}",
            body=render_to_string("emails/nomination_focal_point.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("emails/nomination_focal_point.html", context), "text/html")
        message.send()
        point.mailed_at = timezone.now()
        point.save(update_fields=["mailed_at"])
    return True
