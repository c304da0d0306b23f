"""A participant in the room types the code on the session's screen into
their phone and is marked present; the room's screen and the desk's
attendance pages read well on a phone and a desktop. Every step
screenshotted and axe-checked; no sideways scrolling at 320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attendance import room_codes
from attendance.models import AttendanceMark
from events import services as event_services
from events.models import ItemKind, PublishedItem
from registrations.models import Registration

from ..factories import add_item, make_event, make_user, make_venue
from .test_desk_layout import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def session_on_now(db):
    organiser = make_user("organiser@example.org", full_name="Ora Organiser")
    now = timezone.now().replace(microsecond=0)
    event = make_event(
        "design-workshop-auckland",
        title="Industrial Design Workshop, Auckland",
        venue=make_venue("Pacific/Auckland", "Auckland"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=6),
        organisers=[organiser],
    )
    add_item(event, "Design protection across APEC economies: the Hague system in practice", now - timedelta(minutes=5))
    add_item(event, "Coffee break", now + timedelta(minutes=40), minutes=20, kind=ItemKind.BREAK)
    add_item(event, "Panel: examining industrial designs", now + timedelta(hours=1), kind=ItemKind.PANEL)
    event_services.publish_agenda(event, actor=organiser, note="Final")
    event.refresh_from_db()
    person = make_user("aisyah@example.org", full_name="Aisyah Ismail")
    registration = Registration.objects.create(
        event=event, user=person, status="confirmed", economy="MY", queued_at=now
    )
    item = PublishedItem.objects.get(version_id=event.current_version_id, title__startswith="Design protection")
    return {"organiser": organiser, "event": event, "person": person, "registration": registration, "item": item}


def test_a_participant_types_the_room_code_on_a_phone_and_is_marked_present(live_server, page, steps, session_on_now):
    event, item = session_on_now["event"], session_on_now["item"]
    sign_in(page, live_server.url, session_on_now["person"])
    url = f"{live_server.url}/attendance/{event.slug}/code/"
    page.set_viewport_size({"width": 320, "height": 740})
    page.goto(url)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the room-code page scrolls sideways at 320 px"
    steps.record("room-code-320px")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    # The session on now is chosen already; the participant types what the screen shows.
    assert page.get_by_label("Session").input_value() == str(item.uid)
    code = room_codes.current(event, item.uid, timezone.now())[0]
    page.get_by_label("Room code").fill(code.lower())
    steps.record("room-code-typed-390px")
    page.get_by_role("button", name="Mark me present").click()
    page.wait_for_load_state("load")
    assert page.get_by_text(f"Marked present in “{item.title}”.").is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    steps.record("marked-present-390px")
    made = AttendanceMark.objects.get()
    assert (made.registration_id, made.source) == (session_on_now["registration"].pk, "room_code")

    # A code read off a photo taken earlier no longer works.
    stale = room_codes.code_for(event, item.uid, room_codes.step_of(timezone.now()) - 3)
    page.get_by_label("Room code").fill(stale)
    page.get_by_role("button", name="Mark me present").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("This code has expired: ask for the one on the screen now.").is_visible()
    steps.record("expired-code-390px")


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_the_room_screen_and_the_desks_attendance_pages_fit_the_screen(live_server, page, steps, session_on_now, width):
    event, item = session_on_now["event"], session_on_now["item"]
    AttendanceMark.objects.create(
        registration=session_on_now["registration"], item_uid=item.uid, mode="in_person", source="desk",
        marked_at=timezone.now(),
    )  # fmt: skip
    sign_in(page, live_server.url, session_on_now["organiser"])
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in (
        ("attendance", f"/desk/events/{event.slug}/attendance/"),
        ("settings", f"/desk/events/{event.slug}/attendance/settings/"),
        ("screen", f"/desk/events/{event.slug}/attendance/{item.uid}/screen/"),
        ("checkin-per-session", f"/desk/events/{event.slug}/checkin/?session={item.uid}"),
    ):
        page.goto(live_server.url + path)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways at {width} px"
        steps.record(f"{name}-{width}px")
    page.goto(f"{live_server.url}/desk/events/{event.slug}/attendance/{item.uid}/screen/")
    code = page.locator("#room-code")
    assert code.inner_text() in {
        room_codes.current(event, item.uid, timezone.now() - timedelta(seconds=s))[0] for s in (0, 5)
    }
    assert page.locator("#room-screen-present").inner_text() == "1"


def test_a_remote_participant_finds_their_join_link_on_their_registration_page(
    live_server, page, steps, session_on_now
):
    registration = session_on_now["registration"]
    Registration.objects.filter(pk=registration.pk).update(participation_mode="remote_listening")
    event, item = session_on_now["event"], session_on_now["item"]
    event.remote_meeting_url = f"{live_server.url}/events/"  # stands in for the online meeting
    event.save()
    sign_in(page, live_server.url, session_on_now["person"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/registrations/{registration.uid}/")
    link = page.get_by_role("link", name=f"Join “{item.title}”")
    assert link.is_visible()
    assert page.get_by_role("link", name="Join “Panel: examining industrial designs”").count() == 0
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    steps.record("join-links-390px")
    link.click()
    page.wait_for_url(f"{live_server.url}/events/")
    made = AttendanceMark.objects.get()
    assert (made.mode, made.source) == ("remote", "join_link")
    page.goto(f"{live_server.url}/registrations/{registration.uid}/")
    assert page.get_by_text("You attended 1 session").is_visible()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the registration page scrolls sideways at 320 px"
    steps.record("attended-320px")
