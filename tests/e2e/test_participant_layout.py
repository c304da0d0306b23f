"""Every public and participant page on a phone (issue 13, item 10): at 320
and 390 CSS px no horizontal scrolling (WCAG 1.4.10 reflow) and no serious or
critical axe-core finding, also at 1366 px; full-page screenshots at 390 and
1366 px in test-artifacts/e2e/participant-layout/.

The pages come from the URL resolver (every named pattern outside the desk
and the Django admin) and their arguments from the security world's route
table (tests/security/world.py), as the desk walk does: a page added later is
walked too, or fails this test until it has a row there or is listed below
as not a page. Public pages are walked signed out and signed in (the event
page, for one, changes for a registered reader); a participant's pages as
the world's participant who has a registration, starred sessions and
two-factor sign-in."""

import pytest
from django.test import Client, override_settings

from ..factories import PASSWORD
from ..security.world import ROUTES, build_world, url_of, url_pattern_names
from .conftest import ARTIFACTS, AXE_RUN, BLOCKING_IMPACTS, describe_violations
from .test_desk_layout import LAPTOP, LARGE_PHONE, PHONE, Walk, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROUTES_BY_NAME = {route.name: route for route in ROUTES}
OUTSIDE = ("desk:", "admin:")

# Answers that are not pages, by what they are (checked by
# test_participant_files_are_not_pages).
NOT_PAGES = {
    "healthz": "json",
    "personal_feed": "calendar",
    "events:feed": "calendar",
    "events:event_ics": "calendar",
    "events:agenda_feed": "calendar",
    "events:item_ics": "calendar",
    "events:agenda_pdf": "file",
    "events:agenda_pdf_status": "json",
    "events:documents_pdf": "file",
    "events:documents_pdf_status": "json",
    "events:document_download": "file",
    "registrations:participants_pdf": "file",
    "registrations:participants_pdf_status": "json",
    "registrations:invitation": "calendar",
    "registrations:certificate": "file",
    "registrations:letter": "file",
    "mfa_download_recovery_codes": "file",
    # A session's "Add to calendar" link: a redirect to Google or Outlook.
    "events:item_calendar_link": "redirect",
    "travel:document": "file",
    "delegations:letter": "file",
}
# Who may fetch each of those: the owner of the world's registration, except
# the nomination letter, which Chile's focal point (the world's participant) reads.
FETCHED_BY = {"delegations:letter": "participant"}
# Pages nobody can open on their own, and where they are walked instead.
NOT_WALKED = {
    # Steps in the middle of signing in; with none under way they send to the sign-in page.
    "mfa_authenticate": "the second step of signing in: tests/e2e/test_two_factor.py walks it with axe",
    "account_confirm_login_code": "sign-in by mailed code is turned off (ACCOUNT_LOGIN_BY_CODE_ENABLED)",
    # Everyone has a password (sign-up asks for one): allauth sends them to "change password".
    "account_set_password": "redirects to account_change_password, which is walked",
    # Forms on a focal point's delegation page (delegations:delegation, walked).
    "delegations:head": "a button on delegations:delegation",
    "delegations:letter_upload": "a form on delegations:delegation",
    "delegations:withdraw": "a button on delegations:delegation",
    # Forms of the traveller's claim, on their registration page (registrations:detail, walked).
    "travel:document_remove": "a button on registrations:detail",
    "travel:submit": "a button on registrations:detail",
    # Before an answer, the thank-you page sends the reader to the survey's form.
    "evaluation:thanks": "redirects to evaluation:answer, which is walked",
}
# Who reads a public page besides someone signed out; a page that sends a
# signed-in reader elsewhere (sign-in, sign-up) is read signed out only, and
# sign-out only signed in.
SIGNED_OUT_ONLY = {"account_login", "account_signup"}
SIGNED_IN_ONLY = {"account_logout"}
# Turning on two-factor sign-in is a page only for someone who has not yet.
AS_PARTICIPANT = {"mfa_activate_totp"}
# The world's participant is Chile's focal point: the delegation pages are theirs.
AS_PARTICIPANT |= {"delegations:delegation", "delegations:mine"}
# The world's owner is registered for the world's event: the register form is
# walked for the other event.
ARGUMENTS = {"registrations:register": lambda w: {"slug": w.other.slug}}


MEASURE = """() => ({
  scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
      + ' right=' + Math.round(el.getBoundingClientRect().right)),
})"""


def participant_pattern_names():
    return sorted(name for name in url_pattern_names() if not name.startswith(OUTSIDE))


def participant_pages(world):
    """(reader, name, url) of every public and participant page; fails on a
    pattern the walk cannot reach."""
    pages, problems = [], []
    for name in participant_pattern_names():
        route = ROUTES_BY_NAME.get(name)
        if route is None:
            problems.append(f"{name}: no row in tests/security/world.py ROUTES, so no arguments to open it with")
            continue
        if name in NOT_PAGES or name in NOT_WALKED:
            continue
        if not route.get:
            problems.append(f"{name}: POST-only; list it in NOT_WALKED with the page that holds its form")
            continue
        url = url_of(route, world, **(ARGUMENTS[name](world) if name in ARGUMENTS else {}))
        if route.access == "public":
            readers = ["anonymous", "owner"]
            if name in SIGNED_OUT_ONLY:
                readers = ["anonymous"]
            elif name in SIGNED_IN_ONLY:
                readers = ["owner"]
        else:
            readers = ["participant" if name in AS_PARTICIPANT else "owner"]
        pages += [(reader, name, url) for reader in readers]
    stale = (set(NOT_PAGES) | set(NOT_WALKED)) - set(participant_pattern_names())
    problems += [f"{name}: listed here but no longer a URL pattern" for name in sorted(stale)]
    assert not problems, "URL patterns the participant layout walk does not cover:\n" + "\n".join(problems)
    return pages


@pytest.fixture
def world(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield build_world()


class ParticipantWalk(Walk):
    """The desk walk's checks (reflow, axe, a screenshot) for readers who are
    signed out or participants; screenshots only at 390 and 1366 px."""

    def as_reader(self, reader):
        if reader == self.user:
            return
        self.page.context.clear_cookies()
        if reader != "anonymous":
            user = getattr(self.world.users, reader)
            sign_in(self.page, self.base, user)
            # Recently signed in with the password, as the two-factor pages ask.
            self.page.goto(self.base + "/accounts/reauthenticate/")
            self.page.locator("main input[name=password]").fill(PASSWORD)
            with self.page.expect_navigation():
                self.page.locator("main form[method=post] button[type=submit]").first.click()
        self.user = reader

    def check(self, label):
        page = self.page
        if self.width in (LARGE_PHONE, LAPTOP):
            page.screenshot(path=self.directory / f"{label.replace(':', '-').replace(' ', '-')}.png", full_page=True)
        measures = page.evaluate(MEASURE)
        if measures["scroll"] > measures["inner"]:
            self.failures.append(
                f"{label} at {self.width} px: {measures['scroll']} px wide, scrolls sideways ({page.url}); "
                f"too wide: {measures['wide']}"
            )
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_script.read_text(encoding="utf-8"))
        blocking = [v for v in page.evaluate(AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            self.failures.append(f"{label} at {self.width} px ({page.url}):\n" + describe_violations(blocking))

    def open_page(self, reader, name, url):
        self.as_reader(reader)
        response = self.page.goto(self.base + url)
        self.page.wait_for_load_state("load")
        label = f"{name} {reader}"
        if response is None or response.status != 200:
            self.failures.append(f"{label} ({url}) answered {response.status if response else 'nothing'}")
            return
        landed = self.page.evaluate("() => location.pathname")
        if landed != url.split("?")[0]:
            self.failures.append(f"{label} ({url}) sent the reader to {landed}: not walked")
            return
        self.check(label)


@pytest.fixture(params=[PHONE, LARGE_PHONE, LAPTOP], ids=["320px", "390px", "1366px"])
def participant_walk(request, browser, csp_violations, live_server, world, axe_script):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
    csp_violations.watch(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    walk = ParticipantWalk(page, live_server, world, axe_script, width, ARTIFACTS / "participant-layout" / f"{width}px")
    walk.user = "anonymous"
    yield walk
    context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


def test_participant_pages_reflow(participant_walk, world):
    """Every public and participant page at 320, 390 and 1366 px ("My
    registrations" was 561 px wide on a 390 px phone, issue 13)."""
    pages = participant_pages(world)
    # Signed-out readers first, then each participant, so each signs in once.
    order = {"anonymous": 0, "owner": 1, "participant": 2}
    for reader, name, url in sorted(pages, key=lambda page: order[page[0]]):
        participant_walk.open_page(reader, name, url)
    participant_walk.assert_clean()


def test_the_walk_covers_every_public_and_participant_pattern(world):
    walked = {name for _, name, _ in participant_pages(world)}
    assert walked | set(NOT_PAGES) | set(NOT_WALKED) == set(participant_pattern_names())
    for expected in ("events:list", "events:detail", "events:agenda", "registrations:mine", "privacy"):
        assert expected in walked


def test_participant_files_are_not_pages(world):
    for name, kind in sorted(NOT_PAGES.items()):
        reader = Client()
        reader.force_login(getattr(world.users, FETCHED_BY.get(name, "owner")))
        response = reader.get(url_of(ROUTES_BY_NAME[name], world))
        if name == "mfa_download_recovery_codes":
            # Asks for the password again first, as every recovery-code page does.
            assert response.status_code == 302 and "/reauthenticate/" in response["Location"], name
            continue
        if kind == "redirect":
            assert response.status_code == 302 and response["Location"].startswith("https://"), name
            continue
        assert response.status_code == 200, name
        content_type = response["Content-Type"]
        assert not content_type.startswith("text/html"), f"{name} is a page: walk it"
        expected = {"json": "application/json", "calendar": "text/calendar"}.get(kind)
        if expected:
            assert content_type.startswith(expected), (name, content_type)
