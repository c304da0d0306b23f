"""The report page in Chromium on a 320 px phone, a 390 px phone and a
1366 px laptop: the page never scrolls sideways (wide tables scroll inside
their own labelled, focusable region), and axe finds nothing serious or
critical, in the exact and the shared version. Screenshots in
test-artifacts/e2e/report/."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ..e2e.conftest import ARTIFACTS, AXE_RUN, BLOCKING_IMPACTS, describe_violations
from .conftest import fill, make_report_event

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_the_report_page_reflows_and_passes_axe(browser, csp_violations, axe_script, live_server, organiser, width):
    event = make_report_event("browser-report-workshop", organiser, project_code="IPEG 02 2031S")
    fill(event, 80, seed=6)
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    csp_violations.watch(context)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    directory = ARTIFACTS / "report"
    directory.mkdir(parents=True, exist_ok=True)
    for version in ("exact", "shared"):
        url = live_server.url + reverse("desk:report", args=[event.slug]) + f"?version={version}"
        assert page.goto(url).status == 200
        page.screenshot(path=directory / f"report-{version}-{width}px.png", full_page=True)
        width_used = page.evaluate("() => document.documentElement.scrollWidth")
        # Inside a table's own scrolling region content may run past the screen; nowhere else.
        too_wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
              .filter(el => !el.closest('.report-table') && el.getBoundingClientRect().right > window.innerWidth + 0.5)
              .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + el.textContent.slice(0, 40))"""
        )
        assert width_used <= width, f"the {version} report is {width_used} px wide at {width} px: {too_wide}"
        regions = page.locator(".report-table[role=region][tabindex='0']")
        assert regions.count() >= 6
        page.evaluate(axe_script.read_text(encoding="utf-8"))
        blocking = [v for v in page.evaluate(AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, describe_violations(blocking)
    context.close()
    assert not csp_violations, "\n".join(csp_violations)
