import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from registrations.models import ParticipantProfile

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def signup_data(**changes):
    return {
        "email": "delegate@ipophil.example",
        "password1": "a-long-passphrase-2031",
        "password2": "a-long-passphrase-2031",
        "full_name": "Maria Santos",
        "economy": "PH",
        **changes,
    }


def signup(client, **changes):
    return client.post("/accounts/signup/", signup_data(**changes))


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_sign_up_by_email_verify_then_log_in(client):
    response = signup(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="delegate@ipophil.example")
    assert user.profile.full_name == "Maria Santos"
    assert user.profile.get_economy_display() == "The Philippines"
    assert not EmailAddress.objects.get(user=user).verified

    # Mandatory verification: the password alone does not let anyone in.
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "delegate@ipophil.example", "password": "a-long-passphrase-2031"}
    )
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session

    link = confirmation_link(mail.outbox[-1])
    assert client.get(link).status_code == 200
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(
        "/accounts/login/", {"login": "delegate@ipophil.example", "password": "a-long-passphrase-2031"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_up_form_has_no_username_and_asks_for_name_and_economy(client):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="username"' not in page
    assert 'name="full_name"' in page and "Chinese Taipei" in page and "Viet Nam" in page
    assert "Other / international organisation" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"full_name": ""}, "This field is required."),
        ({"economy": "FR"}, "Select a valid choice."),
        ({"password2": "something-else-entirely"}, "You must type the same password each time."),
        ({"password1": "short", "password2": "short"}, "This password is too short."),
    ],
)
def test_sign_up_bad_input_is_explained(client, changes, message):
    response = signup(client, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ParticipantProfile.objects.exists()


def test_duplicate_e_mail_is_not_a_second_account(client):
    make_user("delegate@ipophil.example")
    signup(client)
    assert get_user_model().objects.filter(email__iexact="delegate@ipophil.example").count() == 1


def test_password_reset_sends_a_working_link(client):
    make_user("reset@example.org")
    client.post("/accounts/password/reset/", {"email": "reset@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"})
    assert client.login(email="reset@example.org", password="a-brand-new-passphrase")


def test_failed_logins_are_rate_limited(client):
    make_user("target@example.org")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "target@example.org", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "target@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_profile_edit_and_validation(client):
    user = make_user("me@example.org")
    client.force_login(user)
    response = client.post("/accounts/profile/", {"full_name": "", "economy": "MY"})
    assert "This field is required." in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.full_name == "Test Person"
    client.post(
        "/accounts/profile/",
        {"title": "Dr", "full_name": "Nurul Aziz", "economy": "MY", "organisation": "MyIPO", "job_title": "Director"},
    )
    user.profile.refresh_from_db()
    assert (user.profile.full_name, user.profile.organisation) == ("Nurul Aziz", "MyIPO")


def test_profile_needs_sign_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_account_pages_use_the_site_layout(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'class="site-header"' in page and 'lang="en"' in page


def test_admin_sign_in_is_the_sites_throttled_sign_in(client):
    make_user("staff@example.org", staff=True)
    # The admin's own form takes no password: even the right one does not sign in.
    response = client.post("/admin/login/?next=/admin/", {"username": "staff@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    sign_in = response["Location"]
    assert sign_in == "/accounts/login/?next=%2Fadmin%2F"
    # Wrong passwords on the form the admin sends to end in refusal…
    for _ in range(50):
        client.post(sign_in, {"login": "staff@example.org", "password": "wrong"})
    response = client.post(sign_in, {"login": "staff@example.org", "password": PASSWORD})
    # (allauth's per-IP login limit answers 429 before its failed-login message shows.)
    assert response.status_code == 429 or "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # …and the admin stays closed.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Site administration" not in response.content.decode()


def test_staff_reach_the_admin_through_the_sites_sign_in(client):
    make_user("staff@example.org", staff=True)
    response = client.get("/admin/", follow=True)
    sign_in = response.redirect_chain[-1][0]
    assert sign_in == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post(sign_in, {"login": "staff@example.org", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Site administration" in response.content.decode()


def test_signed_in_staff_see_the_admin_and_others_are_refused(client):
    client.force_login(make_user("staff@example.org", staff=True))
    assert "Site administration" in client.get("/admin/").content.decode()
    client.logout()
    client.force_login(make_user("delegate@example.org"))
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert "Site administration" not in client.get("/admin/", follow=True).content.decode()


@pytest.mark.parametrize("action", ["sign_up", "password_reset"])
def test_account_mails_name_the_site_never_the_host_and_port(client, settings, action):
    settings.SITE_URL = "https://events.ipeg.example"
    settings.SITE_NAME = "IPEG Events"
    host = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8411"}  # the app server behind the proxy
    if action == "sign_up":
        client.post("/accounts/signup/", signup_data(), **host)
    else:
        make_user("reset@example.org")
        client.post("/accounts/password/reset/", {"email": "reset@example.org"}, **host)
    message = mail.outbox[-1]
    greeting = message.body.partition("\n\n")[0]
    assert greeting == "Hello from IPEG Events,"
    assert message.body.rstrip().endswith("IPEG Events\nhttps://events.ipeg.example")
    assert message.subject.startswith("[IPEG Events] ")
    assert "8411" not in greeting + message.subject
