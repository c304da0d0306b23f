"""Starring sessions in a real browser (issue 13, item 4): the star is a
toggle button at least 24×24 CSS px whose aria-pressed and icon change; with
JavaScript in place (no reload), without it by a form post that comes back to
the session. Every step axe-checked under the site's CSP."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from events import services as event_services
from registrations.models import StarredItem

from ..factories import add_items, make_event, make_user, make_venue
from .conftest import ARTIFACTS
from .test_desk_layout import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agenda_event(db):
    organiser = make_user("organiser@example.org")
    zone = ZoneInfo("Pacific/Auckland")
    event = make_event(
        "star-workshop",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=datetime(2031, 3, 3, 9, 0, tzinfo=zone),
        ends_at=datetime(2031, 3, 3, 17, 0, tzinfo=zone),
        organisers=[organiser],
    )
    add_items(event, 8)
    version = event_services.publish_agenda(event, actor=organiser)
    uids = [str(uid) for uid in version.items.order_by("starts_at", "pk").values_list("uid", flat=True)]
    return event, uids


def _star(page, uid):
    return page.locator(f'button.star[data-uid="{uid}"]')


def _size(button):
    box = button.bounding_box()
    return box["width"], box["height"]


def test_star_in_place_with_javascript(page, steps, live_server, agenda_event):
    event, uids = agenda_event
    delegate = make_user("delegate@example.org", full_name="Delegate From Chile", economy="CL")
    sign_in(page, live_server.url, delegate)
    page.goto(f"{live_server.url}/events/{event.slug}/agenda/")
    steps.record("agenda")
    star = _star(page, uids[2])
    expect(star).to_have_attribute("aria-pressed", "false")
    width, height = _size(star)
    assert width >= 24 and height >= 24, (width, height)
    empty_icon = star.locator(".star-icon").evaluate("el => getComputedStyle(el, '::before').content")
    page.evaluate("() => { window.notReloaded = true; }")

    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("status").filter(has_text="is on your agenda")).to_have_count(1)
    filled_icon = star.locator(".star-icon").evaluate("el => getComputedStyle(el, '::before').content")
    assert empty_icon != filled_icon and "★" in filled_icon and "☆" in empty_icon
    assert page.evaluate("() => window.notReloaded === true")  # in place: no reload
    assert StarredItem.objects.filter(user=delegate, item_uid=uids[2]).exists()
    steps.record("starred-in-place")
    # The button keeps its name; its state is in aria-pressed.
    expect(page.get_by_role("button", name="On my agenda: Session 2", pressed=True)).to_have_count(1)

    # Reloaded, the server shows the star (the cached HTML with the reader's star put in).
    page.reload()
    expect(_star(page, uids[2])).to_have_attribute("aria-pressed", "true")
    expect(_star(page, uids[3])).to_have_attribute("aria-pressed", "false")

    # By keyboard: focus the star and press Space to take it off.
    _star(page, uids[2]).focus()
    page.keyboard.press("Space")
    expect(_star(page, uids[2])).to_have_attribute("aria-pressed", "false")
    assert not StarredItem.objects.filter(user=delegate).exists()

    # My agenda is a tab of the event.
    _star(page, uids[5]).click()
    expect(_star(page, uids[5])).to_have_attribute("aria-pressed", "true")
    page.get_by_role("navigation", name="This event").get_by_role("link", name="My agenda").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My agenda")
    expect(page.locator(".checkin-list > li")).to_have_count(1)  # one session (its calendar menu is a list too)
    steps.record("my-agenda")


def test_star_without_javascript_posts_and_comes_back(browser, csp_violations, live_server, agenda_event, axe_script):
    event, uids = agenda_event
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    csp_violations.watch(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    directory = ARTIFACTS / "test_star_without_javascript_posts_and_comes_back"
    directory.mkdir(parents=True, exist_ok=True)
    try:
        delegate = make_user("nojs@example.org", full_name="No Script Reader", economy="PE")
        sign_in(page, live_server.url, delegate)
        page.goto(f"{live_server.url}/events/{event.slug}/agenda/")
        star = _star(page, uids[4])
        width, height = _size(star)
        assert width >= 24 and height >= 24, (width, height)
        star.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/events/{event.slug}/agenda/#item-{uids[4]}")
        expect(_star(page, uids[4])).to_have_attribute("aria-pressed", "true")
        expect(page.locator(".messages")).to_contain_text("is on your agenda")
        page.screenshot(path=directory / "01-starred-without-script.png", full_page=True)
        assert StarredItem.objects.filter(user=delegate, item_uid=uids[4]).exists()
        _star(page, uids[4]).click()
        page.wait_for_load_state("load")
        expect(_star(page, uids[4])).to_have_attribute("aria-pressed", "false")
        assert not StarredItem.objects.filter(user=delegate).exists()
    finally:
        context.close()
    assert not csp_violations, "\n".join(csp_violations)
