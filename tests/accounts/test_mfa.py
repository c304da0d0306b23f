"""Two-factor sign-in (allauth.mfa): an authenticator app with recovery codes for
every account, required of staff and event organisers where the setting says so."""

import base64
import hashlib
import hmac
import html
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from accounts.mfa import REQUIRED_MESSAGE

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def totp(secret, at=None):
    """RFC 6238 with SHA-1, 30-second steps and six digits, computed here rather
    than with allauth's own helpers."""
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_totp(secret):
    """A code that stays valid for the next few seconds: allauth accepts only
    the current 30-second step."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp(secret)


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def activate_totp(client, user):
    """Signs in with the password and turns on the authenticator app as a person
    would: reads the secret off the activation page, enters the app's code."""
    assert sign_in(client, user.email).status_code == 302
    # allauth asks for the password again before a change to sign-in methods.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in content  # the QR code
    secret = html.unescape(re.search(r'id="authenticator_secret"[^>]*value="([^"]+)"', content).group(1))
    response = client.post("/accounts/2fa/totp/activate/", {"code": fresh_totp(secret)})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return secret


def recovery_codes(client):
    download = client.get("/accounts/2fa/recovery-codes/download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    codes = download.content.decode().split()
    assert len(codes) == 10
    return codes


@pytest.fixture
def delegate(db):
    return make_user("delegate@ipophil.example")


@pytest.fixture
def protected(client, delegate):
    """The delegate with an authenticator app on, signed out again."""
    secret = activate_totp(client, delegate)
    codes = recovery_codes(client)
    client.post("/accounts/logout/")
    assert signed_in_as(client) is None
    # allauth refuses a code a second time within its step; each test starts clean.
    cache.clear()
    return secret, codes


def test_activation_page_shows_qr_code_and_secret_in_the_site_layout(client, delegate):
    sign_in(client, delegate.email)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    content = client.get("/accounts/2fa/totp/activate/").content.decode()
    assert "Turn on two-factor sign-in" in content
    assert 'class="site-header"' in content  # the site's own base template
    assert 'aria-label="My account"' in content  # the account pages' navigation
    assert 'id="authenticator_secret"' in content
    assert 'src="data:image/svg+xml;base64,' in content


def test_profile_and_account_pages_link_to_two_factor_sign_in(client, delegate):
    sign_in(client, delegate.email)
    for url in ("/accounts/profile/", "/accounts/email/", "/accounts/2fa/"):
        content = client.get(url).content.decode()
        assert 'href="/accounts/2fa/"' in content and "Two-factor sign-in" in content, url


def test_activated_totp_shows_recovery_codes_to_view_and_download(client, delegate):
    activate_totp(client, delegate)
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    codes = recovery_codes(client)
    assert all(code in page for code in codes)
    index = client.get("/accounts/2fa/").content.decode()
    assert "10 of 10 recovery codes are unused" in index


def test_password_alone_does_not_sign_in_and_asks_for_the_code(client, protected, delegate):
    response = sign_in(client, delegate.email)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client) is None
    page = client.get("/accounts/2fa/authenticate/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    # Nothing that needs a signed-in user opens in the meantime.
    assert client.get("/accounts/profile/").status_code == 302
    assert signed_in_as(client) is None


def test_the_right_code_signs_in(client, protected, delegate):
    secret, _ = protected
    sign_in(client, delegate.email)
    response = client.post("/accounts/2fa/authenticate/", {"code": fresh_totp(secret)})
    assert response.status_code == 302
    assert int(signed_in_as(client)) == delegate.pk


def test_a_wrong_code_does_not_sign_in(client, protected, delegate):
    secret, _ = protected
    sign_in(client, delegate.email)
    right = fresh_totp(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert client.get("/accounts/profile/").status_code == 302


def test_a_recovery_code_signs_in_once_and_not_twice(client, protected, delegate):
    _, codes = protected
    sign_in(client, delegate.email)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert int(signed_in_as(client)) == delegate.pk
    client.post("/accounts/logout/")

    sign_in(client, delegate.email)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 200
    assert signed_in_as(client) is None
    # Another, unused one still works.
    client.post("/accounts/2fa/authenticate/", {"code": codes[1]})
    assert int(signed_in_as(client)) == delegate.pk


def test_turning_it_off_asks_for_reauthentication_then_the_password_is_enough_again(client, protected, delegate):
    secret, _ = protected
    sign_in(client, delegate.email)
    client.post("/accounts/2fa/authenticate/", {"code": fresh_totp(secret)})
    response = client.get("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/deactivate/").status_code == 200
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=delegate).exists()
    client.post("/accounts/logout/")
    sign_in(client, delegate.email)
    assert int(signed_in_as(client)) == delegate.pk


# The requirement for staff and organisers.


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS = True


def test_required_organiser_without_totp_is_sent_from_the_desk_to_activation(client, required, event, organiser):
    sign_in(client, organiser.email)
    response = client.get("/desk/", follow=True)
    # To activation, which (as allauth does) first asks for the password again;
    # the message saying why is on the page they land on.
    assert [url for url, _ in response.redirect_chain] == [
        "/accounts/2fa/totp/activate/",
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]
    assert REQUIRED_MESSAGE in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/"
    assert "Turn on two-factor sign-in" in response.content.decode()
    # Every other page too, and a POST.
    assert client.get("/events/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/profile/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.post("/accounts/profile/", {})["Location"] == "/accounts/2fa/totp/activate/"
    # But not the pages on the way there, nor signing out.
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert signed_in_as(client) is None


def test_required_staff_member_without_totp_is_sent_to_activation(client, required):
    staff = make_user("secretariat@apec.example", staff=True)
    sign_in(client, staff.email)
    assert client.get("/desk/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_required_organiser_with_totp_gets_the_desk_and_cannot_turn_it_off(client, required, event, organiser):
    activate_totp(client, organiser)
    assert client.get("/desk/").status_code == 200
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert "Staff and event organisers must keep two-factor sign-in on." in response.content.decode()
    assert Authenticator.objects.filter(user=organiser, type=Authenticator.Type.TOTP).exists()


def test_required_does_not_touch_participants(client, required, event, delegate):
    sign_in(client, delegate.email)
    assert client.get("/desk/").status_code == 200  # an empty desk, as before
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/events/").status_code == 200


def test_not_required_nobody_is_sent_to_activation(client, settings, event, organiser):
    settings.MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS = False
    sign_in(client, organiser.email)
    assert client.get("/desk/").status_code == 200
    staff = make_user("secretariat@apec.example", staff=True)
    client.post("/accounts/logout/")
    sign_in(client, staff.email)
    assert client.get("/desk/").status_code == 200


def test_requirement_defaults_on_in_production_only():
    from ..test_deployment import PRODUCTION, manage

    probe = "from django.conf import settings; print(settings.MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS)"
    for env, expected in (
        ({**PRODUCTION}, "True"),
        ({**PRODUCTION, "MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS": "false"}, "False"),
        ({"DJANGO_ENV": "development"}, "False"),
        ({"DJANGO_ENV": "test", "MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS": "true"}, "True"),
    ):
        result = manage("shell", "-c", probe, env=env)
        assert result.stdout.split()[-1:] == [expected], (env, result.stderr)
