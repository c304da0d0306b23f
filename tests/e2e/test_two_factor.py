"""Two-factor sign-in in a real browser: from the profile to the activation page
(site-styled, QR code shown, no serious or critical axe-core findings), turned
on with the authenticator app's code, and asked for at the next sign-in."""

import re

import pytest
from playwright.sync_api import expect

from ..accounts.test_mfa import fresh_totp
from ..factories import PASSWORD, make_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(re.compile(r"^E-?mail")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_turn_on_two_factor_sign_in_then_sign_in_with_a_code(page, steps, live_server):
    base = live_server.url
    user = make_user("delegate@ipophil.example")
    sign_in_with_password(page, base, user.email)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="My profile")).to_be_visible()

    page.get_by_role("link", name="My profile").click()
    page.get_by_role("navigation", name="My account").get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    steps.record("two-factor-overview")

    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    # allauth asks for the password again first.
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Turn on two-factor sign-in")
    # The site's layout and style, not allauth's bare pages.
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("navigation", name="My account")).to_be_visible()
    button = page.get_by_role("button", name="Turn on")
    brand = page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
    assert brand, "the site's stylesheet did not load"
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not render"
    steps.record("activate-totp")

    secret = page.get_by_label("Secret").input_value()
    page.get_by_label(re.compile(r"^Authenticator code")).fill(fresh_totp(secret))
    button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Recovery Codes", re.I))
    steps.record("recovery-codes")

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, base, user.email)
    expect(page).to_have_url(f"{base}/accounts/2fa/authenticate/")
    steps.record("asks-for-the-code")
    page.get_by_label(re.compile(r"^Code")).fill(fresh_totp(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out")).to_be_visible()
