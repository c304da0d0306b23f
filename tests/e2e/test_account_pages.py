"""Every sign-in and account page of allauth in the site's layout and form
style (issue 13, item 8): the site's header and footer, one column of fields
no wider than a readable line at 1366 px, no sideways scrolling at 320 and
390 px, no serious or critical axe-core finding, also with the form sent back
with errors. Screenshots at 390 and 1366 px are in
test-artifacts/e2e/account-pages/."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from ..factories import make_user
from .conftest import ARTIFACTS, describe_violations
from .test_desk_layout import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390, 1366)
SCREENSHOT_WIDTHS = (390, 1366)
# One column: at 1366 px no form field is wider than this (46rem and a little).
COLUMN = 760

MEASURE = """() => {
  const wide = [...document.querySelectorAll('main *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5).map(el => el.tagName.toLowerCase() + ' right=' + Math.round(el.getBoundingClientRect().right));
  const fields = [...document.querySelectorAll('main form input:not([type=hidden]), main form select, main form textarea')];
  const lefts = new Set(fields.filter(el => el.type !== 'checkbox' && el.type !== 'radio')
    .map(el => Math.round(el.getBoundingClientRect().left)));
  return {
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide,
    header: !!document.querySelector('header.site-header'), footer: !!document.querySelector('footer.site-footer'),
    styled: [...document.styleSheets].some(sheet => (sheet.href || '').includes('/css/site')),
    widest: Math.max(0, ...fields.map(el => el.getBoundingClientRect().width)),
    columns: lefts.size,
    buttons: [...document.querySelectorAll('main button, main .button')].map(el => getComputedStyle(el).backgroundColor),
  };
}"""


def anonymous_pages(live_server):
    """(label, path) of the pages someone signed out sees, with real keys."""
    person = make_user("maria.santos@inapi.example", verified=False)
    address = EmailAddress.objects.get(user=person)
    confirm_key = EmailConfirmationHMAC(address).key
    reset_user = make_user("aroha.ngata@iponz.example")
    reset_args = [user_pk_to_url_str(reset_user), default_token_generator.make_token(reset_user)]
    return [
        ("sign-in", reverse("account_login")),
        ("sign-up", reverse("account_signup")),
        ("password-reset", reverse("account_reset_password")),
        ("password-reset-sent", reverse("account_reset_password_done")),
        ("password-reset-new-password", reverse("account_reset_password_from_key", args=reset_args)),
        ("password-reset-done", reverse("account_reset_password_from_key_done")),
        ("verification-sent", reverse("account_email_verification_sent")),
        ("confirm-email", reverse("account_confirm_email", args=[confirm_key])),
        ("confirm-email-bad-key", reverse("account_confirm_email", args=["not-a-key"])),
        ("account-inactive", reverse("account_inactive")),
        ("privacy-notice", reverse("privacy")),
    ]


def signed_in_pages():
    return [
        ("e-mail-addresses", reverse("account_email")),
        ("change-password", reverse("account_change_password")),
        ("reauthenticate", reverse("account_reauthenticate")),
        ("sign-out", reverse("account_logout")),
        ("two-factor", reverse("mfa_index")),
        ("profile", reverse("account_profile")),
    ]


# Forms sent empty, so the page comes back with its errors.
SEND_EMPTY = {
    "sign-in",
    "sign-up",
    "password-reset",
    "password-reset-new-password",
    "change-password",
    "reauthenticate",
}


class AccountWalk:
    def __init__(self, browser, csp_violations, live_server, axe_script, width):
        self.context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
        csp_violations.watch(self.context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.base, self.width, self.axe_script = live_server.url, width, axe_script
        self.directory = ARTIFACTS / "account-pages" / f"{width}px"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.failures, self.seen = [], []

    def open(self, label, path):
        response = self.page.goto(self.base + path)
        assert response.status == 200, f"{label} ({path}) answered {response.status}"
        self.page.wait_for_load_state("load")
        self.check(label)

    def check(self, label):
        page, width = self.page, self.width
        if width in SCREENSHOT_WIDTHS:
            page.screenshot(path=self.directory / f"{label}.png", full_page=True)
        self.seen.append(label)
        m = page.evaluate(MEASURE)
        where = f"{label} at {width} px ({page.url})"
        if m["scroll"] > m["inner"]:
            self.failures.append(f"{where}: {m['scroll']} px wide, scrolls sideways; too wide: {m['wide']}")
        if not (m["header"] and m["footer"] and m["styled"]):
            self.failures.append(f"{where}: not in the site's layout ({m})")
        if width >= 1366 and m["widest"] > COLUMN:
            self.failures.append(f"{where}: a field is {m['widest']:.0f} px wide, more than one column ({COLUMN})")
        if m["columns"] > 1:
            self.failures.append(f"{where}: fields in {m['columns']} columns")
        if any(colour in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)", "rgb(240, 240, 240)") for colour in m["buttons"]):
            self.failures.append(f"{where}: an unstyled button ({m['buttons']})")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_script.read_text(encoding="utf-8"))
        violations = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({"
            "id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
            "nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))})))"
        )
        blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
        if blocking:
            self.failures.append(f"{where}:\n" + describe_violations(blocking))

    def send_empty(self, label):
        form = self.page.locator("main form[method=post]").first
        form.evaluate(
            "form => { form.noValidate = true; for (const el of form.elements) if (['text','email','password'].includes(el.type)) el.value = ''; }"
        )
        with self.page.expect_navigation():
            form.evaluate("form => form.requestSubmit()")
        self.page.wait_for_load_state("load")
        assert self.page.locator("main .errorlist, main [role=alert]").count(), f"{label} sent empty shows no error"
        self.check(f"{label}-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_account_pages_are_the_sites_one_column_pages(browser, csp_violations, live_server, axe_script, width):
    walk = AccountWalk(browser, csp_violations, live_server, axe_script, width)
    for label, path in anonymous_pages(live_server):
        walk.open(label, path)
        if label in SEND_EMPTY:
            walk.send_empty(label)
    user = make_user("delegate@ipophil.example")
    sign_in(walk.page, live_server.url, user)
    for label, path in signed_in_pages():
        walk.open(label, path)
        if label in SEND_EMPTY:
            walk.send_empty(label)
    walk.context.close()
    assert not walk.failures, "\n".join(walk.failures)
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)
    assert re.search(r"confirm-email", " ".join(walk.seen))
