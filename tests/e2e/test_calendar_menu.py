"""The event page's calendar menus and the reader's zone in a real browser
(issue 13, items 2, 3, 5, 6): "Add to calendar" is a <details> list of links
that opens from the keyboard with Enter, with scripts on and off; the
registered reader sees their registration; a zone chosen on the event page is
remembered on the agenda. Every step screenshotted and axe-checked under the CSP."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .test_security_policy import scene, sign_in, visit  # noqa: F401 - the scene fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CALENDARS = (
    "Google Calendar",
    "Outlook.com",
    "Microsoft 365 (work or school)",
    "Apple Calendar and others (.ics file)",
)


def open_with_enter(page, summary_name):
    summary = page.locator("summary", has_text=summary_name).first
    details = summary.locator("xpath=..")
    expect(details).not_to_have_attribute("open", "")
    summary.focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    return details


def test_add_to_calendar_menu_opens_with_enter_without_scripts(browser, csp_violations, live_server, scene):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", java_script_enabled=False)
    csp_violations.watch(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    event = scene["event"]
    try:
        visit(page, live_server.url + event.get_absolute_url(), event.title)
        menu = open_with_enter(page, "Add to calendar")
        for label in CALENDARS:
            expect(menu.get_by_role("link", name=label)).to_be_visible()
        google = menu.get_by_role("link", name="Google Calendar").get_attribute("href")
        assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&text=Industrial%20Design")
        assert re.search(r"&dates=\d{8}T\d{6}Z/\d{8}T\d{6}Z&", google)
        ics = menu.get_by_role("link", name=CALENDARS[3]).get_attribute("href")
        assert ics.endswith(f"/events/{event.slug}/event.ics")
        subscribe = open_with_enter(page, "Subscribe to the agenda")
        expect(subscribe.get_by_role("link", name=re.compile("webcal"))).to_have_attribute(
            "href", re.compile(rf"^webcal://.*/events/{event.slug}/agenda\.ics$")
        )
        # No sideways scrolling on a phone with both menus open.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    assert not csp_violations, "\n".join(csp_violations)


def test_event_page_menus_registration_and_remembered_zone(page, steps, live_server, scene):  # noqa: F811
    event, registration, base = scene["event"], scene["registration"], live_server.url
    visit(page, base + reverse("events:list"), "Events")
    open_with_enter(page, "Subscribe to all events")
    expect(page.get_by_role("link", name="Microsoft 365 (work or school)")).to_have_attribute(
        "href", re.compile(r"^https://outlook\.office\.com/calendar/0/addfromweb\?url=.*%2Fevents%2Ffeed\.ics&name=")
    )
    steps.record("events-list-subscribe-open")

    sign_in(page, base, scene["participant"])
    visit(page, base + event.get_absolute_url(), event.title)
    region = page.get_by_role("region", name="Your registration")
    expect(region).to_contain_text("Confirmed")
    expect(region.get_by_role("link", name="Your registration")).to_have_attribute(
        "href", f"/registrations/{registration.uid}/"
    )
    expect(page.get_by_role("link", name="Register", exact=True)).to_have_count(0)
    expect(page.locator("dd", has_text="9 of 10")).to_be_visible()
    open_with_enter(page, "Add to calendar")
    steps.record("event-page-registered-menu-open")

    # Choose a zone on the event page: shown beside the venue's, remembered on the agenda.
    open_with_enter(page, "Show the times in your time zone")
    page.get_by_label("Also show times in").select_option("America/Santiago")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("Your time:")).to_be_visible()
    expect(page.locator(".reader-time .zone-city")).to_have_attribute("title", "America/Santiago")
    steps.record("event-page-reader-zone")
    visit(page, base + reverse("events:agenda", args=[event.slug]), "Agenda")
    expect(page.get_by_text(re.compile(r"with your chosen zone \(Santiago time, UTC-\d\) beside them"))).to_be_visible()
    session_link = page.locator("a.add-to-calendar-link").first
    expect(session_link).to_contain_text("Add to calendar")
    expect(session_link.locator(".visually-hidden")).to_have_text(": Opening")
    session_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add “Opening” to your calendar")
    for label in CALENDARS:
        expect(page.get_by_role("link", name=label).first).to_be_visible()
    steps.record("session-calendar-choices")
