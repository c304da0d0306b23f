"""The door scanner at a session's door: the check-in page's "Scanning for"
choice set to a session, a badge held up to the (stand-in) camera marks the
person present in that session, green with what was recorded; the same badge
again is red with when the first mark was. Screenshotted and axe-checked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import AttendanceMark
from events import services as event_services
from events.models import PublishedItem
from registrations.models import Registration

from ..factories import add_item
from .test_checkin_scanner import CAMERA, door, show_badge  # noqa: F401 - door is a fixture
from .test_security_policy import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session_door(door):  # noqa: F811 - the imported fixture
    event = door["event"]
    add_item(event, "Opening", timezone.now() - timedelta(minutes=5), minutes=45)
    event_services.publish_agenda(event, actor=door["organiser"], note="Final")
    event.refresh_from_db()
    return {**door, "item": PublishedItem.objects.get(version_id=event.current_version_id, title="Opening")}


def test_a_scan_at_a_sessions_door_marks_the_person_present_in_that_session(page, steps, live_server, session_door):
    event, item, base = session_door["event"], session_door["item"], live_server.url
    page.add_init_script(CAMERA)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, session_door["organiser"])
    page.goto(base + reverse("desk:checkin", args=[event.slug]))
    page.get_by_label("Scanning for").select_option(str(item.uid))
    page.get_by_role("button", name="Choose").click()
    expect(page.locator("#checkin-session-mode")).to_contain_text("At the door of “Opening”")
    steps.record("session-door")

    answer = page.locator("#scan-result")
    show_badge(page, session_door["aisyah"], "scan-ok")
    expect(answer).to_contain_text("May enter")
    expect(answer).to_contain_text("Aisyah Ismail")
    expect(answer).to_contain_text("Marked present in “Opening” at ")
    steps.record("green-marked-present")
    page.get_by_role("button", name="Scan next").click()
    made = AttendanceMark.objects.get()
    assert (made.registration_id, made.item_uid, made.source) == (session_door["aisyah"].pk, item.uid, "door_scan")
    # In the room means at the venue: checked in at the event too.
    assert Registration.objects.get(pk=session_door["aisyah"].pk).status == Registration.Status.ATTENDED

    show_badge(page, session_door["aisyah"], "scan-refused")
    expect(answer).to_contain_text("Already marked present at ")
    steps.record("red-already-marked")
    assert AttendanceMark.objects.count() == 1
