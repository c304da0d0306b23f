"""The site under its Content-Security-Policy in a real browser: public pages,
a participant's pages, an event's organiser desk and the Django admin load
without a single violation (the page fixture fails any test on one), and the
scripts that enhance pages still run from their static files."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from events import services as event_services
from registrations import services as registration_services

from ..factories import PASSWORD, add_item, make_event, make_user, make_venue

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

READER_ZONE = "America/Santiago"


@pytest.fixture
def scene():
    """A published workshop with an agenda, its organiser (a superuser, so
    every desk page and the admin open) and a participant holding a seat."""
    organiser = make_user("organiser@ipeg.example", staff=True, full_name="Olivia Organiser")
    organiser.is_superuser = True
    organiser.save(update_fields=["is_superuser"])
    participant = make_user("delegate@myipo.example", full_name="Aisyah Ismail", economy="MY")
    venue = make_venue(zone="Asia/Kuala_Lumpur", city="Penang")
    day = timezone.now().date() + timedelta(days=45)
    event = make_event(
        "design-workshop-penang",
        title="Industrial Design Workshop, Penang",
        venue=venue,
        starts_at=datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(venue.timezone)),
        capacity=10,
        organisers=[organiser],
    )
    item = add_item(event, "Opening", datetime.combine(day, time(9, 0)), kind="opening", room="Hall A")
    add_item(event, "Designs and small businesses", datetime.combine(day, time(10, 0)), room="Hall A")
    event_services.publish_agenda(event, actor=organiser, note="Provisional")
    registration = registration_services.register(event, participant, economy="MY", organisation="MyIPO")
    return {
        "event": event,
        "item": item,
        "organiser": organiser,
        "participant": participant,
        "registration": registration,
    }


def sign_in(page, base_url, user):
    """Signs ``user`` in by handing the browser a session made on the server
    (the sign-in form itself is walked as a public page)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def visit(page, url, heading=None, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    page.wait_for_load_state("load")
    # The policy is on the page the browser shows, not only in a unit test's response.
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    if heading:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)


def test_public_pages_and_the_reader_zone_switch(browser, csp_violations, live_server, scene):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id=READER_ZONE)
    csp_violations.watch(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    event, base = scene["event"], live_server.url
    try:
        for path, heading in [
            ("/", "Meetings and workshops"),
            (reverse("events:list"), "Events"),
            (event.get_absolute_url(), event.title),
            (reverse("events:agenda_history", args=[event.slug]), None),
            (reverse("events:documents", args=[event.slug]), None),
            (reverse("account_login"), "Sign In"),
            (reverse("account_signup"), "Sign Up"),
        ]:
            visit(page, base + path, heading)
        visit(page, base + "/no-such-page/", status=404)

        # reader-zone.js offers the zone only the browser knows, and choosing it shows times in it.
        visit(page, base + reverse("events:agenda", args=[event.slug]), "Agenda")
        switch = page.locator("#use-my-zone")
        expect(switch).to_be_visible()
        expect(switch).to_have_text(f"Use my time zone ({READER_ZONE})")
        switch.click()
        expect(page).to_have_url(re.compile(rf"[?&]tz={re.escape(READER_ZONE.replace('/', '%2F'))}"))
        expect(
            page.get_by_text(re.compile(r"with your chosen zone \(Santiago time, UTC-\d\) beside them"))
        ).to_be_visible()
    finally:
        context.close()
    assert not csp_violations, "\n".join(csp_violations)


def test_participant_pages_and_the_copy_button(page, live_server, scene):
    event, registration, base = scene["event"], scene["registration"], live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    sign_in(page, base, scene["participant"])
    visit(page, base + reverse("registrations:mine"), "My registrations")
    visit(page, base + reverse("registrations:detail", args=[registration.uid]), event.title)
    expect(page.get_by_role("img", name="Check-in QR code")).to_be_visible()
    visit(page, base + reverse("registrations:my_agenda", args=[event.slug]))
    visit(page, base + reverse("account_profile"))
    visit(page, base + reverse("mfa_index"))
    # allauth's TOTP set-up shows its QR code as a data: image, which img-src allows.
    visit(page, base + reverse("mfa_activate_totp"), "Confirm Access")  # allauth asks for the password again
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn on two-factor sign-in")
    qr = page.get_by_role("img", name=re.compile("^QR code for your authenticator app"))
    expect(qr).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;"))
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")

    # copy.js: the copy button appears (it is hidden without the script) and copies the feed address.
    visit(page, base + reverse("account_calendar"), "My calendar feed")
    make_link = page.get_by_role("button", name=re.compile(r"^Make my calendar link$"))
    if make_link.count():  # the address is shown once, after it is made
        with page.expect_navigation():
            make_link.click()
        page.wait_for_load_state("load")
    copy = page.get_by_role("button", name="Copy address")
    expect(copy).to_be_visible()
    page.bring_to_front()  # the Clipboard API writes only for the focused page
    copy.click()
    expect(page.locator("#copy-status")).to_have_text("Copied.", timeout=15_000)
    address = page.locator("#feed-url").input_value()
    assert page.evaluate("() => navigator.clipboard.readText()") == address


def test_desk_and_admin_pages(page, live_server, scene):
    event, registration, base = scene["event"], scene["registration"], live_server.url
    sign_in(page, base, scene["organiser"])
    slug = [event.slug]
    for path in [
        reverse("desk:home"),
        reverse("desk:event", args=slug),
        reverse("desk:agenda", args=slug),
        reverse("desk:item_create", args=slug),
        reverse("desk:item_edit", args=[event.slug, scene["item"].uid]),
        reverse("desk:documents", args=slug),
        reverse("desk:registrations", args=slug),
        reverse("desk:registration", args=[event.slug, registration.uid]),
        reverse("desk:checkin", args=slug),
        reverse("desk:checkin_code", args=[event.slug, registration.checkin_code]),
        reverse("desk:messages", args=slug),
        reverse("desk:event_cancel", args=slug),
        reverse("desk:speaker_create"),
    ]:
        visit(page, base + path)

    # The admin's own scripts (date and time shortcuts, action checkboxes) come from static files too.
    visit(page, base + reverse("admin:index"), None)
    visit(page, base + reverse("admin:events_event_changelist"))
    page.locator("#action-toggle").check()
    expect(page.locator("#changelist-form .action-counter")).to_contain_text("1 of 1 selected")
    visit(page, base + reverse("admin:events_event_change", args=[event.pk]))
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()


def test_a_violation_fails_the_test(page, csp_violations, live_server):
    """The watcher itself: what the policy refuses is reported (and then
    forgotten here, so this test passes)."""
    visit(page, live_server.url + "/", "Meetings and workshops")
    page.evaluate("""() => {
      const image = document.createElement("img");
      image.src = "http://192.0.2.1/tracker.png";
      document.body.append(image);
      document.body.setAttribute("style", "color: red");
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.body.append(script);
    }""")
    assert page.evaluate("() => window.inlineRan") is None

    def reported(directive):
        return any(violation.startswith(f"{directive} refused") for violation in csp_violations)

    wanted = ("img-src", "style-src-attr", "script-src-elem")
    for _ in range(50):  # the events arrive asynchronously
        if all(reported(directive) for directive in wanted):
            break
        page.wait_for_timeout(100)
    assert [directive for directive in wanted if not reported(directive)] == [], list(csp_violations)
    assert any(violation.startswith("console") for violation in csp_violations), list(csp_violations)
    csp_violations.clear()
