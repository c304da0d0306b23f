"""The event page's calendar menus and the reader's zone in a real browser
(issue 13, items 2, 3, 5, 6): "Add to calendar" is a <details> list of links
that opens from the keyboard with Enter, with scripts on and off, on the event
page and beside every session of the agenda (at 320 px without sideways
scrolling; there short links on this site that redirect to the calendars);
the registered reader sees their registration; a zone chosen on the event
page is remembered on the agenda. Every step screenshotted and
axe-checked under the CSP."""

import re
import shutil
from datetime import UTC
from urllib.parse import quote, urljoin

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import ARTIFACTS, Steps
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
    event.refresh_from_db()  # published after the scene made it
    item = event.current_version.items.get(title="Opening")
    menu = open_session_menu(page, item)
    check_session_links(menu, event, item)
    steps.record("session-calendar-menu-open")

    # The session's own page, which the agenda linked before its menus were inline, still answers.
    visit(page, base + reverse("events:item_calendar", args=[event.slug, item.uid]), "Add “Opening” to your calendar")
    for label in CALENDARS:
        expect(page.get_by_role("link", name=label).first).to_be_visible()
    steps.record("session-calendar-choices")


def open_session_menu(page, item):
    """Opens the menu beside one session of the agenda from the keyboard: it
    is the focus stop just before the session's star, and Enter opens it."""
    row = page.locator(f"#item-{item.uid}")
    summary = row.locator("details.add-to-calendar > summary")
    expect(summary).to_have_text(f"Add to calendar: {item.title}")  # the session named for screen readers
    expect(summary.locator(".visually-hidden")).to_have_text(f": {item.title}")
    row.locator("button.star").focus()
    page.keyboard.press("Shift+Tab")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    details = row.locator("details.add-to-calendar")
    expect(details).to_have_attribute("open", "")
    return details


def check_session_links(menu, event, item):
    """The four short links, visible, reachable with Tab; each web link
    answers 302 to the calendar site's link with the session's own times and
    title. Gives where the Google link sends the reader."""
    for label in CALENDARS:
        expect(menu.get_by_role("link", name=label)).to_be_visible()
    base = f"/events/{event.slug}/agenda/items/{item.uid}"
    hrefs = [menu.get_by_role("link", name=label).get_attribute("href") for label in CALENDARS]
    assert hrefs == [
        f"{base}/calendar/google/",
        f"{base}/calendar/outlook/",
        f"{base}/calendar/office365/",
        f"{base}.ics",
    ]
    for label in CALENDARS:
        expect(menu.get_by_role("link", name=label)).to_have_attribute("rel", "nofollow")
    targets = []
    for href in hrefs[:3]:
        response = menu.page.request.get(urljoin(menu.page.url, href), max_redirects=0)
        assert response.status == 302, href
        targets.append(response.headers["location"])
    start, end = item.starts_at.astimezone(UTC), item.ends_at.astimezone(UTC)
    title = quote(f"{item.title} ({event.title})", safe="")
    google = targets[0]
    assert google.startswith(f"https://calendar.google.com/calendar/render?action=TEMPLATE&text={title}&")
    assert f"&dates={start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}&" in google
    for outlook, site in zip(targets[1:], ("outlook.live.com", "outlook.office.com"), strict=True):
        assert outlook.startswith(f"https://{site}/calendar/0/action/compose?")
        assert f"&subject={title}&startdt={start:%Y-%m-%dT%H}%3A{start:%M}%3A{start:%S}Z&" in outlook
    menu.page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Google Calendar")).to_be_focused()
    return google


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_session_menu_on_the_agenda_opens_by_keyboard_on_a_small_phone(
    browser,
    csp_violations,
    live_server,
    scene,  # noqa: F811
    axe_script,
    scripts,
):
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale="en-GB", java_script_enabled=scripts)
    csp_violations.watch(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    event = scene["event"]
    directory = ARTIFACTS / f"session-calendar-menu-{'scripts' if scripts else 'no-scripts'}"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    steps = Steps(page, directory, axe_script)
    try:
        visit(page, live_server.url + reverse("events:agenda", args=[event.slug]), "Agenda")
        menus = page.locator("tr details.add-to-calendar")
        expect(menus).to_have_count(2)  # one beside each session, all closed
        expect(menus.locator("a").first).not_to_be_visible()
        event.refresh_from_db()  # published after the scene made it
        item = event.current_version.items.get(title="Designs and small businesses")
        menu = open_session_menu(page, item)
        check_session_links(menu, event, item)
        expect(page.locator(f"#item-{scene['item'].uid} details.add-to-calendar")).not_to_have_attribute("open", "")
        # No sideways scrolling on a 320 px phone with the menu open.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        if scripts:
            steps.record("agenda-320-session-menu-open")
        else:  # axe runs as a script: a page with scripts off is only screenshotted
            page.screenshot(path=directory / "01-agenda-320-session-menu-open.png", full_page=True)
        # Enter on the summary closes it again.
        menu.locator("summary").focus()
        page.keyboard.press("Enter")
        expect(menu).not_to_have_attribute("open", "")
        if scripts:
            # At a phone's and a desktop's width, one menu open: screenshots to look at.
            for width, height in ((390, 844), (1366, 900)):
                page.set_viewport_size({"width": width, "height": height})
                menu = open_session_menu(page, item)
                assert page.evaluate("() => document.documentElement.scrollWidth") <= width
                steps.record(f"agenda-{width}-session-menu-open")
                menu.locator("summary").focus()
                page.keyboard.press("Enter")
    finally:
        context.close()
    assert not csp_violations, "\n".join(csp_violations)


def test_my_agenda_has_the_session_menu_at_phone_and_desktop_widths(page, steps, live_server, scene):  # noqa: F811
    """My agenda shows the agenda's menu under each starred session; it opens
    from the keyboard with the same links, without sideways scrolling."""
    from registrations.models import StarredItem

    event, base = scene["event"], live_server.url
    event.refresh_from_db()  # published after the scene made it
    items = list(event.current_version.items.order_by("starts_at"))
    for item in items:
        StarredItem.objects.get_or_create(user=scene["participant"], item_uid=item.uid, defaults={"event": event})
    sign_in(page, base, scene["participant"])
    item = items[-1]
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        visit(page, base + reverse("registrations:my_agenda", args=[event.slug]), "My agenda")
        menus = page.locator(".checkin-list details.add-to-calendar")
        expect(menus).to_have_count(len(items))
        summary = page.locator("summary", has_text=f"Add to calendar: {item.title}")
        summary.focus()
        page.keyboard.press("Enter")
        menu = summary.locator("xpath=..")
        expect(menu).to_have_attribute("open", "")
        google = check_session_links(menu, event, item)
        assert f"%2Fagenda%2F%23item-{item.uid}&" in google  # the session on the agenda, in the details
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        steps.record(f"my-agenda-{width}-session-menu-open")
