"""Every mail allauth can send (issue 13, item 8) names the site by its name
and public address, never the host and port the request reached: each
account and two-factor mail template, rendered through the site's adapter for
a request that arrived at the app server (127.0.0.1:8411)."""

from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.core import mail
from django.test import RequestFactory

from ..factories import make_user

pytestmark = pytest.mark.django_db

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# Every mail of allauth's account and two-factor apps, by its template prefix.
PREFIXES = sorted(
    str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_message.txt")
    for folder in ("account/email", "mfa/email")
    for path in (ALLAUTH_TEMPLATES / folder).glob("*_message.txt")
    if path.name != "base_message.txt"
)


def test_the_mails_checked_include_the_sign_in_code_and_the_change_notices():
    for prefix in (
        "account/email/login_code",
        "account/email/email_confirmation_signup",
        "account/email/password_reset_key",
        "account/email/email_changed",
        "account/email/password_changed",
        "account/email/unknown_account",
        "mfa/email/totp_activated",
        "mfa/email/recovery_codes_generated",
    ):
        assert prefix in PREFIXES


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_account_mail_names_the_site(settings, prefix):
    settings.SITE_URL = "https://events.ipeg.example"
    settings.SITE_NAME = "IPEG Events"
    user = make_user("maria.santos@inapi.example")
    request = RequestFactory().get("/accounts/", SERVER_NAME="127.0.0.1", SERVER_PORT="8411")
    request.user = user
    context = {
        "user": user,
        "code": "X7Q-4KD",
        "key": "a-key",
        "activate_url": "https://events.ipeg.example/accounts/confirm-email/a-key/",
        "password_reset_url": "https://events.ipeg.example/accounts/password/reset/key/1-set-password/",
        "signup_url": "https://events.ipeg.example/accounts/signup/",
        "from_email": "old@inapi.example",
        "to_email": "maria.santos@inapi.example",
        "deleted_email": "old@inapi.example",
        "ip": "203.0.113.7",
        "user_agent": "Firefox",
        "timestamp": "1 December 2031 10:00",
    }
    with allauth_context.request_context(request):
        get_adapter(request).send_mail(prefix, user.email, context)
    (message,) = mail.outbox
    assert message.body.startswith("Hello from IPEG Events,\n"), message.body
    assert message.body.rstrip().endswith("IPEG Events\nhttps://events.ipeg.example"), message.body
    assert message.subject.startswith("[IPEG Events] ")
    for host in ("127.0.0.1", "8411", "testserver", "example.com"):
        assert host not in message.body + message.subject, (host, message.body)
