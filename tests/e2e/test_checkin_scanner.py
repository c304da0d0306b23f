"""A scan at the door in a real browser (issue 12, items 8 and 11): Chromium's
fake camera plays a generated picture of a badge's QR code (a Y4M file made
here with segno), the page's scanner decodes it with @zxing/library and posts
it; the full-screen answer is green with the name for a confirmed delegate and
red with the reason for a declined one; a scan made offline waits in the
browser ("1 scan waiting"), is sent when the connection is back and counted
once. Every step is screenshotted and axe-checked under the site's CSP."""

from datetime import timedelta

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from registrations import services
from registrations.checkin import checkin_url
from registrations.models import Registration

from ..factories import make_event, make_user, make_venue
from .conftest import CHROMIUM, CHROMIUM_ARGS, unavailable
from .test_security_policy import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480


def write_badge_video(path, text):
    """A one-frame Y4M video (4:2:0, grey) of ``text``'s QR code on white, as a
    phone held up to a badge would see it; Chromium's fake camera loops it."""
    matrix = [list(row) for row in segno.make(text, error="m").matrix_iter(scale=1, border=4)]
    module = int(min(WIDTH, HEIGHT) * 0.85) // len(matrix)
    left = (WIDTH - module * len(matrix)) // 2
    top = (HEIGHT - module * len(matrix)) // 2
    luma = bytearray(b"\xeb" * (WIDTH * HEIGHT))  # video white
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                x = left + column * module
                for y in range(top + row * module, top + (row + 1) * module):
                    luma[y * WIDTH + x : y * WIDTH + x + module] = b"\x10" * module  # video black
    chroma = b"\x80" * ((WIDTH // 2) * (HEIGHT // 2))
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F15:1 Ip A1:1 C420jpeg\n".encode()
    # Written beside and renamed into place: the fake camera never opens half a file.
    partial = path.with_suffix(".partial")
    partial.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)
    partial.replace(path)


@pytest.fixture(scope="module")
def camera_file(tmp_path_factory):
    return tmp_path_factory.mktemp("camera") / "badge.y4m"


@pytest.fixture(scope="module")
def browser(camera_file):
    """This module's Chromium has a camera: the fake device, playing ``camera_file``
    (read again each time the page opens the camera), with permission granted."""
    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM}", "install Debian's chromium package (make test does)")
    import os

    from playwright.sync_api import sync_playwright

    write_badge_video(camera_file, "nothing yet")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_file}",
    ]
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def door():
    organiser = make_user("door@ipeg.example", full_name="Dora Door")
    now = timezone.now()
    event = make_event(
        "design-workshop-auckland",
        title="Industrial Design Workshop, Auckland",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=6),
        capacity=20,
        organisers=[organiser],
    )

    def person(email, name, economy):
        return services.register(event, make_user(email, full_name=name, economy=economy), economy=economy)

    aisyah = person("aisyah@myipo.example", "Aisyah Ismail", "MY")
    declined = person("diego@indecopi.example", "Diego Declined", "PE")
    services.decline(declined, actor=organiser, reason="Nominated twice by the economy.")
    tane = person("tane@iponz.example", "Tāne Walker", "NZ")
    for registration in (aisyah, tane):
        assert registration.status == Registration.Status.CONFIRMED
    return {"event": event, "organiser": organiser, "aisyah": aisyah, "declined": declined, "tane": tane}


def show_badge(page, camera_file, registration, answer_class):
    """Stops the scanner, puts the badge of ``registration`` in front of the
    camera and starts it again (the fake camera reads its file when opened),
    until the page answers with ``answer_class``. On a busy machine Chromium
    may still be closing the old capture and show the old picture: as at a
    real door, the badge is then held up again (three tries at most)."""
    answer = page.locator("#scan-result")
    for attempt in range(3):
        stop = page.get_by_role("button", name="Stop scanner")
        if stop.is_visible():
            stop.click()
        expect(page.get_by_role("button", name="Start scanner")).to_be_visible()
        write_badge_video(camera_file, checkin_url(registration))
        page.get_by_role("button", name="Start scanner").click()
        expect(page.get_by_role("button", name="Stop scanner")).to_be_visible()
        try:
            expect(answer).to_have_class(f"scan-result {answer_class}", timeout=15_000)
            return
        except AssertionError:
            if attempt == 2:
                raise
            scan_next = page.get_by_role("button", name="Scan next")
            if scan_next.is_visible():  # the old picture was answered: dismiss it
                scan_next.click()


def test_a_scan_at_the_door(page, steps, live_server, door, camera_file):
    event, base = door["event"], live_server.url
    page.set_viewport_size({"width": 390, "height": 844})  # a phone at the door
    sign_in(page, base, door["organiser"])
    page.goto(base + reverse("desk:checkin", args=[event.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check-in: {event.title}")
    expect(page.get_by_role("button", name="Start scanner")).to_be_visible()
    steps.record("check-in-page")
    answer = page.locator("#scan-result")

    # A confirmed delegate: green, name, participation type and economy; checked in.
    show_badge(page, camera_file, door["aisyah"], "scan-ok")
    expect(answer).to_contain_text("May enter")
    expect(answer).to_contain_text("Aisyah Ismail")
    expect(answer).to_contain_text("Member-economy delegate · Malaysia")
    expect(answer).to_contain_text("Auckland time")
    expect(page.get_by_role("button", name="Scan next")).to_be_focused()
    steps.record("green-may-enter")
    page.get_by_role("button", name="Scan next").click()
    expect(answer).to_be_empty()
    expect(page.locator("#checkin-attended")).to_have_text("1")
    assert Registration.objects.get(pk=door["aisyah"].pk).status == Registration.Status.ATTENDED

    # A declined one: red, with the reason, in words.
    show_badge(page, camera_file, door["declined"], "scan-refused")
    expect(answer).to_contain_text("Do not admit")
    expect(answer).to_contain_text("Diego Declined")
    expect(answer).to_contain_text("Registration declined. Reason given: Nominated twice by the economy.")
    steps.record("red-declined")
    page.keyboard.press("Escape")
    expect(answer).to_be_empty()

    # The connection drops: the scan is kept in the browser, and says so.
    page.context.set_offline(True)
    scanned_before = timezone.now()
    show_badge(page, camera_file, door["tane"], "scan-saved")
    expect(answer).to_contain_text("Saved, not checked yet")
    expect(answer).to_contain_text("1 scan waiting to be sent.")
    steps.record("offline-saved")
    page.get_by_role("button", name="Scan next").click()
    page.get_by_role("button", name="Stop scanner").click()
    expect(page.locator("#scanner-queue")).to_have_text("1 scan waiting to be sent.")
    steps.record("offline-one-waiting")
    assert Registration.objects.get(pk=door["tane"].pk).status == Registration.Status.CONFIRMED
    page.wait_for_timeout(1500)  # so that the check-in time below is the scan's, not the sending's

    # Back online: it is sent, answered and counted once.
    page.context.set_offline(False)
    sent = page.locator("#scanner-sent-list")
    expect(sent).to_contain_text("Tāne Walker: checked in at", timeout=20_000)
    expect(page.locator("#scanner-queue")).to_be_empty()
    expect(page.locator("#checkin-attended")).to_have_text("2")
    steps.record("sent-when-back-online")
    tane = Registration.objects.get(pk=door["tane"].pk)
    assert tane.status == Registration.Status.ATTENDED
    assert scanned_before - timedelta(seconds=1) <= tane.checked_in_at <= scanned_before + timedelta(seconds=1.2)

    # The same scan sent again (as after an answer lost on the way back): nobody is counted twice.
    page.evaluate(
        """code => {
          const key = "ipeg-checkin-queue:" + document.getElementById("scanner").dataset.event;
          localStorage.setItem(key, JSON.stringify([{id: "again", code: code, scanned_at: new Date().toISOString()}]));
          window.ipegCheckinScanner.flush();
        }""",
        checkin_url(door["tane"]),
    )
    expect(sent.locator("li")).to_have_count(2)
    expect(sent.locator("li").nth(1)).to_contain_text("Tāne Walker: not admitted. Already checked in at")
    expect(page.locator("#checkin-attended")).to_have_text("2")
    assert Registration.objects.filter(event=event, status=Registration.Status.ATTENDED).count() == 2
    assert Registration.objects.get(pk=tane.pk).checked_in_at == tane.checked_in_at

    # Search by name stays, for people without their badge.
    page.get_by_label("Name, e-mail or organisation").fill("Tāne")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".checkin-list")).to_contain_text("Checked in")
    steps.record("search-by-name")


def test_without_a_camera_api_the_page_offers_search_only(page, live_server, door):
    """No getUserMedia (an old browser, or a page not served over HTTPS): no
    scanner button, the search works as before."""
    page.add_init_script("Object.defineProperty(navigator, 'mediaDevices', {value: undefined})")
    sign_in(page, live_server.url, door["organiser"])
    page.goto(live_server.url + reverse("desk:checkin", args=[door["event"].slug]))
    expect(page.locator("#scanner")).to_be_hidden()
    page.get_by_label("Name, e-mail or organisation").fill("Aisyah")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name="Check in Aisyah Ismail").click()
    expect(page.get_by_text("Aisyah Ismail is checked in.")).to_be_visible()
