"""The register form's passport fields (issue 13, item 9) in a real browser:
hidden until "I need an invitation letter" is ticked, shown at once when it
is, with scripts turned off as well as on (CSS :has(), no script); a letter
asked without passport details comes back with the fieldset open and its
errors. Screenshots at 390 px in test-artifacts/e2e/register-form/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import Registration

from ..factories import make_event, make_user
from .conftest import ARTIFACTS
from .test_desk_layout import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts-on", "scripts-off"])
def test_passport_fields_only_with_a_letter(browser, csp_violations, live_server, scripts):
    event = make_event("visa-workshop", title="Visa Workshop", starts_at=timezone.now() + timedelta(days=30))
    user = make_user("ana.rojas@inapi.example", economy="CL")
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="en-GB", java_script_enabled=scripts)
    csp_violations.watch(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    directory = ARTIFACTS / "register-form" / ("scripts-on" if scripts else "scripts-off")
    directory.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/events/{event.slug}/register/")

    passport = page.get_by_role("group", name="Passport details for the invitation letter")
    letter = page.get_by_role("checkbox", name=re.compile("^I need an invitation letter"))
    expect(passport).to_be_hidden()
    expect(page.get_by_label(re.compile("^Passport number"))).to_be_hidden()
    page.screenshot(path=directory / "01-no-letter.png", full_page=True)

    letter.check()
    expect(passport).to_be_visible()
    for label in ("Name as in passport", "Nationality", "Passport number", "Date of birth"):
        expect(page.get_by_label(re.compile(f"^{label}"))).to_be_visible()
    page.screenshot(path=directory / "02-letter.png", full_page=True)
    letter.uncheck()
    expect(passport).to_be_hidden()

    # Asked for a letter, but without the passport number: the server says so.
    letter.check()
    page.get_by_label(re.compile("^Name as in passport")).fill("ROJAS ANA")
    page.get_by_label(re.compile("^Nationality")).fill("Chile")
    page.get_by_label(re.compile("^Date of birth")).fill("1988-05-04")
    page.get_by_role("checkbox", name=re.compile("^I agree")).check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Please correct the fields marked below.")
    expect(passport).to_be_visible()
    expect(passport).to_contain_text("Needed for the invitation letter.")
    page.screenshot(path=directory / "03-letter-without-passport-number.png", full_page=True)
    assert not Registration.objects.exists()

    page.get_by_label(re.compile("^Passport number")).fill("F7654321")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My registrations")
    registration = Registration.objects.get(user=user)
    assert (registration.invitation_letter, registration.passport_number) == (True, "F7654321")
    context.close()
    assert not csp_violations, "\n".join(csp_violations)
