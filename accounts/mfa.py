"""Two-factor sign-in (allauth.mfa): who must have it, and how its QR code is drawn.

Anyone may turn on an authenticator app (TOTP) with recovery codes. Staff and
event organisers must, when ``MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS`` is on (by
default in production): until they have, every page sends them to the
activation page, except the pages they need to get there or to leave.
"""

import io

import segno
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

# The pages a user who must turn on two-factor sign-in may still open: the
# two-factor pages that lead to activation, the reauthentication allauth asks
# for before it, and signing out.
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
    }
)

REQUIRED_MESSAGE = (
    "Staff and event organisers must use two-factor sign-in. Turn it on here before you continue: "
    "scan the QR code with an authenticator app and enter the code it shows."
)


def mfa_required(user):
    """Whether this signed-in user must have an authenticator app before using the site."""
    if not settings.MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS:
        return False
    return user.is_staff or user.is_organiser


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MFARequiredMiddleware:
    """Sends staff and organisers without an authenticator app to its activation
    page, with a message saying why, while the requirement is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_URL_NAMES:
            return None
        if not mfa_required(user) or has_totp(user):
            return None
        messages.warning(request, REQUIRED_MESSAGE)
        return redirect("mfa_activate_totp")


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": "Staff and event organisers must keep two-factor sign-in on.",
    }

    def build_totp_svg(self, url):
        """The QR code of the authenticator-app link, drawn with segno (which the
        check-in badges already use) rather than the qrcode package."""
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True)
        return buffer.getvalue().decode()

    def can_delete_authenticator(self, authenticator):
        """Staff and organisers who must use two-factor sign-in cannot turn it off."""
        if authenticator.type == Authenticator.Type.TOTP and mfa_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
