"""The room's rotating code: typed (or scanned as a QR) by a participant on
attendance:room_code; current and previous codes accepted, older ones
refused as expired, another session's or a made-up one refused as wrong."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance import room_codes
from attendance.models import AttendanceMark

from ..factories import make_user

pytestmark = pytest.mark.django_db


def codes_at(event, item, moment):
    return room_codes.code_for(event, item.uid, room_codes.step_of(moment))


def test_a_code_is_six_unambiguous_characters_that_change_every_two_minutes(meeting):
    event, opening = meeting.event, meeting.items["Opening"]
    moment = meeting.now
    code = codes_at(event, opening, moment)
    assert len(code) == 6 and set(code) <= set(room_codes.ALPHABET)
    assert not set("01OIL") & set(room_codes.ALPHABET)
    step_start = room_codes.step_of(moment) * room_codes.ROTATION
    same_step = datetime.fromtimestamp(step_start + room_codes.ROTATION - 1, tz=UTC)
    assert codes_at(event, opening, same_step) == code
    later = [codes_at(event, opening, moment + timedelta(seconds=room_codes.ROTATION * n)) for n in range(1, 6)]
    assert code not in later and len(set(later)) == 5
    assert codes_at(event, meeting.items["Soon panel"], moment) != code


def test_the_current_and_the_previous_code_are_accepted_and_older_ones_have_expired(meeting):
    event, opening = meeting.event, meeting.items["Opening"]
    now = meeting.now
    opened = now - timedelta(minutes=25)
    previous = codes_at(event, opening, now - timedelta(seconds=room_codes.ROTATION))
    assert room_codes.check(event, opening.uid, codes_at(event, opening, now), now, opened)
    assert room_codes.check(event, opening.uid, previous, now, opened) == previous
    stale = codes_at(event, opening, now - timedelta(seconds=2 * room_codes.ROTATION))
    with pytest.raises(room_codes.CodeRefused) as expired:
        room_codes.check(event, opening.uid, stale, now, opened)
    assert expired.value.reason == "This code has expired: ask for the one on the screen now."


def test_typing_is_forgiving_of_case_spaces_and_dashes(meeting):
    event, opening = meeting.event, meeting.items["Opening"]
    code = codes_at(event, opening, meeting.now)
    typed = f" {code[:3].lower()}-{code[3:].lower()} "
    assert room_codes.check(event, opening.uid, typed, meeting.now, meeting.now) == code


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFGH", "ABC\x00EF", "<script>", "A0O1IL", "ÅBCDEF", "x" * 5000])
def test_garbage_is_not_a_room_code(meeting, typed):
    with pytest.raises(room_codes.CodeRefused) as refused:
        room_codes.check(meeting.event, meeting.items["Opening"].uid, typed, meeting.now, meeting.now)
    assert refused.value.reason.startswith("That is not a room code: a code has 6 letters and digits")


def test_another_sessions_code_is_not_this_sessions(meeting):
    event = meeting.event
    other = codes_at(event, meeting.items["Soon panel"], meeting.now)
    with pytest.raises(room_codes.CodeRefused) as refused:
        room_codes.check(event, meeting.items["Opening"].uid, other, meeting.now, meeting.now)
    assert refused.value.reason.startswith("That is not this session's code")


# The participant's page.


def page(meeting):
    return reverse("attendance:room_code", args=[meeting.event.slug])


def post_code(client, meeting, code, session=None):
    data = {"session": str(session or meeting.items["Opening"].uid), "code": code}
    return client.post(page(meeting), data, follow=True)


def test_the_page_offers_the_session_on_now_and_the_qr_link_fills_in_the_code(client, meeting, delegates):
    client.force_login(delegates.in_room.user)
    opening = meeting.items["Opening"]
    chosen = client.get(page(meeting)).content.decode()
    assert f'<option value="{opening.uid}" selected>Opening</option>' in chosen
    assert "Coffee break" not in chosen  # breaks have no attendance
    from_qr = client.get(page(meeting), {"session": meeting.items["Soon panel"].uid, "code": "abc-def"})
    html = from_qr.content.decode()
    assert f'<option value="{meeting.items["Soon panel"].uid}" selected>' in html
    assert 'value="ABCDEF"' in html
    assert not AttendanceMark.objects.exists()  # opening the QR's link marks nobody


def test_the_code_on_the_screen_marks_the_participant_present_once(client, meeting, delegates):
    client.force_login(delegates.in_room.user)
    code = room_codes.current(meeting.event, meeting.items["Opening"].uid, timezone.now())[0]
    first = post_code(client, meeting, code)
    assert "Marked present in “Opening”." in first.content.decode()
    replay = post_code(client, meeting, code)
    assert "“Opening”: Already marked present at " in replay.content.decode()
    made = AttendanceMark.objects.get()
    assert (made.registration, made.mode, made.source) == (delegates.in_room, "in_person", "room_code")
    assert made.marked_by == delegates.in_room.user


def test_an_expired_or_wrong_code_marks_nobody_and_says_why(client, meeting, delegates):
    client.force_login(delegates.in_room.user)
    opening = meeting.items["Opening"]
    stale = codes_at(meeting.event, opening, timezone.now() - timedelta(seconds=3 * room_codes.ROTATION))
    assert (
        "This code has expired: ask for the one on the screen now."
        in post_code(client, meeting, stale).content.decode()
    )
    wrong = room_codes.current(meeting.event, meeting.items["Soon panel"].uid, timezone.now())[0]
    assert "That is not this session&#x27;s code" in post_code(client, meeting, wrong).content.decode()
    assert not AttendanceMark.objects.exists()


def test_a_session_outside_its_window_is_refused_with_when_it_opens(client, meeting, delegates):
    client.force_login(delegates.in_room.user)
    later = meeting.items["Later panel"]
    code = room_codes.current(meeting.event, later.uid, timezone.now())[0]
    html = post_code(client, meeting, code, session=later.uid).content.decode()
    opens = (later.starts_at - timedelta(minutes=15)).astimezone(meeting.event.tz)
    assert f"Attendance at “Later panel” opens at {opens:%H:%M} (Auckland time, UTC+1" in html
    assert not AttendanceMark.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"session": "not-a-uuid", "code": "ABCDEF"}, "Choose a session of this agenda."),
        ({"session": "00000000-0000-0000-0000-000000000000", "code": "ABCDEF"}, "Choose a session of this agenda."),
        ({"session": "\x00", "code": "ABCDEF"}, "Choose a session of this agenda."),
        ({"code": "ABCDEF"}, "This field is required."),
        ({"session": "OPENING", "code": ""}, "Type the code shown on the room&#x27;s screen."),
        ({"session": "OPENING", "code": "AB\x00DEF"}, "Null characters are not allowed."),
        ({"session": "OPENING", "code": "y" * 41}, "Ensure this value has at most 40 characters"),
    ],
)
def test_bad_input_gets_a_clear_message(client, meeting, delegates, data, message):
    client.force_login(delegates.in_room.user)
    if data.get("session") == "OPENING":
        data = {**data, "session": str(meeting.items["Opening"].uid)}
    response = client.post(page(meeting), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AttendanceMark.objects.exists()


def test_a_pending_registration_is_told_it_cannot_be_marked(client, meeting, delegates):
    client.force_login(delegates.pending.user)
    code = room_codes.current(meeting.event, meeting.items["Opening"].uid, timezone.now())[0]
    html = post_code(client, meeting, code).content.decode()
    assert "Only confirmed participants can be marked present; this registration is pending approval." in html
    assert not AttendanceMark.objects.exists()


def test_someone_not_registered_is_told_so_and_anonymous_readers_sign_in_first(client, meeting, delegates):
    assert client.get(page(meeting)).url.startswith(reverse("account_login"))
    client.force_login(make_user("stranger@example.org"))
    html = client.get(page(meeting)).content.decode()
    assert "You are not registered for this event" in html
    assert "Mark me present" not in html
    post_code(client, meeting, "ABCDEF")
    assert not AttendanceMark.objects.exists()
