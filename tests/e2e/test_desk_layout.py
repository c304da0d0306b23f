"""Every organiser desk page on a 320 px phone and a 1366 px laptop (issue 12,
item 11): no horizontal scrolling at 320 CSS px (WCAG 1.4.10 reflow), the page
using the width at 1366 px, and no serious or critical axe-core finding at
either, also with each of its forms sent back invalid and showing errors.

The pages come from the URL resolver (every pattern of the ``desk``
namespace) and their arguments from the security world's route table
(tests/security/world.py), so a desk page added later is walked too, or fails
the test until it has a row there. Only POST-only actions and file downloads
have no page to walk; they are listed here by name."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from ..security.world import ROUTES, build_world, url_of, url_pattern_names
from .conftest import ARTIFACTS, describe_violations

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Actions that only take a POST: the page holding their form is walked, with
# the form sent invalid (see test_desk_forms_with_errors).
POST_ONLY = {
    "desk:event_publish",
    "desk:agenda_publish",
    "desk:capacity",
    "desk:approve",
    "desk:decline",
    "desk:move",
    "desk:registrations_bulk",
    "desk:seat_above_capacity",
    "desk:delivery_try_again",
    "desk:request_document",
    "desk:team_role",
    "desk:team_remove",
    "desk:invitation_withdraw",
    "desk:checkin_scan",
    "desk:survey_question_action",
    "desk:participant_list_finalise",
    "desk:registration_funding",
    "desk:travel_settings",
    "desk:travel_places",
    "desk:travel_fund",
    "desk:travel_decide",
    "desk:travel_unfund",
    "desk:delegation_settings",
    "desk:delegation_quota",
    "desk:focal_point_add",
    "desk:focal_point_remove",
    "desk:nomination_pre_approve",
    "desk:nomination_approve",
    "desk:nomination_decline",
    "desk:question_add",
    "desk:question_move",
    "desk:question_remove",
    "desk:followup_question_add",
}
# Answers that are not pages, by what they are: files, the JSON that progress
# pages poll, and a message's preview, the participant's e-mail itself shown in
# a sandboxed frame of the Messages page (which is walked).
NOT_PAGES = {
    "desk:registrations_export": "file",
    "desk:letter": "file",
    "desk:participants_pdf": "file",
    "desk:badges_pdf": "file",
    "desk:generated_download": "file",
    "desk:survey_answers_csv": "file",
    "desk:participant_list_pdf": "file",
    "desk:participant_list_docx": "file",
    "desk:participant_list_final_docx": "file",
    "desk:participant_list_pdf_status": "json",
    "desk:participant_list_docx_status": "json",
    "desk:report_file": "file",
    "desk:project_report_file": "file",
    "desk:travel_document": "file",
    "desk:nomination_letter": "file",
    "desk:followup_csv": "file",
    "desk:attendance_csv": "file",
    "desk:attendance_screen_status": "json",
    "desk:message_status": "json",
    "desk:message_recipients": "json",
    "desk:generated_status": "json",
    "desk:message_preview_html": "mail",
}
DOWNLOADS = {name for name, kind in NOT_PAGES.items() if kind != "mail"}

# WCAG's reflow width, the phone (390 px, where the registrations page
# was 759 px wide) and a common laptop.
PHONE, LARGE_PHONE, LAPTOP = 320, 390, 1366
# At 1366 px the desk's content box is at least this wide (tables need the room).
WIDE_ENOUGH = 1200

ROUTES_BY_NAME = {route.name: route for route in ROUTES}


def desk_pattern_names():
    return sorted(name for name in url_pattern_names() if name.startswith("desk:"))


def desk_pages(world):
    """(name, url) of every desk page; fails on a pattern the walk cannot reach."""
    pages, problems = [], []
    for name in desk_pattern_names():
        route = ROUTES_BY_NAME.get(name)
        if route is None:
            problems.append(f"{name}: no row in tests/security/world.py ROUTES, so no arguments to open it with")
        elif not route.get:
            if name not in POST_ONLY:
                problems.append(f"{name}: POST-only; list it in POST_ONLY if it has no page of its own")
        elif name in POST_ONLY:
            problems.append(f"{name}: listed as POST-only but its route takes GET")
        elif name not in NOT_PAGES:
            pages.append((name, url_of(route, world)))
    stale = (POST_ONLY | set(NOT_PAGES)) - set(desk_pattern_names())
    problems += [f"{name}: listed here but no longer a desk URL pattern" for name in sorted(stale)]
    assert not problems, "Desk URL patterns the layout walk does not cover:\n" + "\n".join(problems)
    return pages


@pytest.fixture
def world(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield build_world()


def sign_in(page, base_url, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


class Walk:
    """Opens desk pages as the event's organiser (as staff where the page is
    not the organiser's), and checks reflow, width and axe at one viewport."""

    def __init__(self, page, live_server, world, axe_script, width, directory):
        self.page, self.base, self.world, self.width = page, live_server.url, world, width
        self.axe_script, self.directory = axe_script, directory
        self.user = None
        self.failures = []
        directory.mkdir(parents=True, exist_ok=True)

    def as_user(self, user):
        if self.user is not user:
            sign_in(self.page, self.base, user)
            self.user = user

    def open(self, name, url):
        self.as_user(self.world.users.organiser)
        response = self.page.goto(self.base + url)
        if response.status in (403, 404):
            self.as_user(self.world.users.staff)
            response = self.page.goto(self.base + url)
        assert response.status == 200, f"{name} ({url}) answered {response.status}"
        self.page.wait_for_load_state("load")
        return response

    def check(self, label):
        page = self.page
        slug = label.replace(":", "-").replace(" ", "-")
        page.screenshot(path=self.directory / f"{slug}.png", full_page=True)
        measures = page.evaluate(
            """() => {
              const main = document.querySelector('main');
              const wide = [...document.querySelectorAll('main *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                  + ' right=' + Math.round(el.getBoundingClientRect().right));
              return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
                      main: main ? main.getBoundingClientRect().width : 0, wide};
            }"""
        )
        if measures["scroll"] > measures["inner"]:
            self.failures.append(
                f"{label} at {self.width} px: {measures['scroll']} px wide, scrolls sideways ({page.url}); "
                f"too wide: {measures['wide']}"
            )
        if self.width >= LAPTOP and measures["main"] < WIDE_ENOUGH:
            self.failures.append(f"{label} at {self.width} px: content only {measures['main']:.0f} px wide")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_script.read_text(encoding="utf-8"))
        violations = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({"
            "id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
            "nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))})))"
        )
        blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
        if blocking:
            self.failures.append(f"{label} at {self.width} px ({page.url}):\n" + describe_violations(blocking))

    def assert_clean(self):
        assert not self.failures, "\n".join(self.failures)


@pytest.fixture(params=[PHONE, LARGE_PHONE, LAPTOP], ids=["320px", "390px", "1366px"])
def walk(request, browser, csp_violations, live_server, world, axe_script):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
    csp_violations.watch(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Walk(page, live_server, world, axe_script, width, ARTIFACTS / "desk-layout" / f"{width}px")
    context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


# Pages that show more with a query: the check-in search with its results.
WITH_QUERY = {"desk:checkin": "?q=Olga"}


def test_every_desk_page_reflows_and_passes_axe(walk, world):
    for name, url in desk_pages(world):
        walk.open(name, url)
        walk.check(name)
        if name in WITH_QUERY:
            walk.open(name, url + WITH_QUERY[name])
            walk.check(f"{name} with query")
    walk.assert_clean()


def test_desk_downloads_are_files_not_pages(client, world):
    client.force_login(world.users.organiser)
    for name in sorted(DOWNLOADS):
        response = client.get(url_of(ROUTES_BY_NAME[name], world))
        assert response.status_code == 200, name
        if NOT_PAGES[name] == "json":
            assert response["Content-Type"].startswith("application/json"), name
        assert not response["Content-Type"].startswith("text/html"), f"{name} is a page: walk it"


# Marks every form of the page that has a field to fill in, and empties or
# spoils each: text cleared, required boxes unticked, selects given a value
# that is not a choice. The browser's own checks are turned off, so the server
# answers with its errors.
FORMS_TO_SPOIL = """() => [...document.querySelectorAll('main form')]
  .filter(form => (form.getAttribute('method') || 'get').toLowerCase() === 'post')
  .filter(form => [...form.elements].some(el => el.required && el.type !== 'hidden'))
  .length"""
SPOIL_AND_SEND = """(index) => {
  const form = [...document.querySelectorAll('main form')]
    .filter(form => (form.getAttribute('method') || 'get').toLowerCase() === 'post')
    .filter(form => [...form.elements].some(el => el.required && el.type !== 'hidden'))[index];
  form.noValidate = true;
  for (const el of form.elements) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    if (el.type === 'checkbox' || el.type === 'radio') { if (el.required) el.checked = false; continue; }
    if (el.tagName === 'SELECT') {
      if (!el.required) continue;
      if (![...el.options].some(o => o.value === '')) el.add(new Option('not a choice', 'not-a-choice'));
      el.value = [...el.options].some(o => o.value === '') ? '' : 'not-a-choice';
      continue;
    }
    if (el.type === 'file') { el.value = ''; continue; }
    el.value = '';
  }
  const submit = [...form.elements].find(el => el.type === 'submit' && !el.hasAttribute('formaction'));
  form.requestSubmit(submit || undefined);
}"""
ERRORS_SHOWN = "() => !!document.querySelector('main .errorlist, main .message-error, main [role=alert]')"


def test_desk_forms_with_errors(walk, world):
    sent = []
    for name, url in desk_pages(world):
        walk.open(name, url)
        for index in range(walk.page.evaluate(FORMS_TO_SPOIL)):
            if index:
                walk.open(name, url)
            with walk.page.expect_navigation():
                walk.page.evaluate(SPOIL_AND_SEND, index)
            walk.page.wait_for_load_state("load")
            assert walk.page.evaluate(ERRORS_SHOWN), f"form {index} of {name} sent invalid shows no error"
            walk.check(f"{name} form {index} errors")
            sent.append(f"{name}#{index}")
    # The desk's data-entry forms are all among them.
    for expected in ("desk:event_create#0", "desk:item_create#0", "desk:speaker_create#0", "desk:messages#0"):
        assert expected in sent, f"{expected} was not sent invalid; sent: {sent}"
    walk.assert_clean()


def test_the_walk_covers_every_desk_pattern(world):
    pages = {name for name, _ in desk_pages(world)}
    assert pages | POST_ONLY | set(NOT_PAGES) == set(desk_pattern_names())
    assert reverse("desk:home") in dict(desk_pages(world)).values()
