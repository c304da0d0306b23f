"""The desk's side of attendance: counts per session and per economy (equal
to counts made here independently, in a fixed number of queries), the
settings form, the room's screen with its code, the door scanner in
per-session mode, and the person's sessions on their desk page."""

import json
import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from attendance import room_codes
from attendance.models import AttendanceMark, SessionMeetingLink
from audit.models import LogEntry
from events.models import EventRole
from registrations.models import ParticipantProfile, Registration

from ..factories import make_user

pytestmark = pytest.mark.django_db

ECONOMIES = ["MY", "NZ", "CL", "PE", ""]
QUERIES = 7


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def crowd(meeting, count, seed=7):
    """``count`` seated people of various economies, each marked in a random
    set of sessions, in the room or online; returns the marks made."""
    rng = random.Random(seed)
    password = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"crowd{n}-{seed}@example.org", password=password) for n in range(count)
    )
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(user=user, full_name=f"Crowd {n}", economy="NZ") for n, user in enumerate(users)
    )
    registrations = Registration.objects.bulk_create(
        Registration(
            event=meeting.event,
            user=user,
            status=Registration.Status.CONFIRMED,
            economy=ECONOMIES[n % len(ECONOMIES)],
            queued_at=timezone.now(),
            checkin_code=f"crowd-{seed}-{n}",
        )
        for n, user in enumerate(users)
    )
    sessions = [item for title, item in meeting.items.items() if title != "Coffee break"]
    marks = [
        AttendanceMark(
            registration=registration,
            item_uid=item.uid,
            mode=rng.choice(["in_person", "remote"]),
            source="desk",
            marked_at=meeting.now,
        )
        for registration in registrations
        for item in sessions
        if rng.random() < 0.6
    ]
    AttendanceMark.objects.bulk_create(marks)
    return registrations, marks


def rows_of(response):
    return {row.item.title: (row.in_person, row.remote, row.total) for row in response.context["per_session"]}


@pytest.mark.parametrize("people", [5, 60])
def test_the_attendance_page_counts_per_session_and_economy_in_a_fixed_number_of_queries(
    desk, meeting, django_assert_num_queries, people
):
    registrations, marks = crowd(meeting, people)
    economy_of = {registration.pk: registration.economy for registration in registrations}
    # As many at 60 people as at 5: the counts come from two queries of marks, whatever their number.
    with django_assert_num_queries(QUERIES):
        response = desk.get(reverse("desk:attendance", args=[meeting.event.slug]))
    expected = {}
    for title, item in meeting.items.items():
        if title == "Coffee break":
            continue
        modes = Counter(mark.mode for mark in marks if mark.item_uid == item.uid)
        expected[title] = (modes["in_person"], modes["remote"], modes["in_person"] + modes["remote"])
    assert rows_of(response) == expected
    people_modes = {}
    for mark in marks:
        people_modes.setdefault(mark.registration.pk, set()).add(mark.mode)
    by_economy = Counter()
    for pk, modes in people_modes.items():
        by_economy[economy_of[pk], "in_person" if "in_person" in modes else "remote"] += 1
    shown = {row.code: (row.in_person, row.remote) for row in response.context["per_economy"]}
    assert shown == {
        code: (by_economy[code, "in_person"], by_economy[code, "remote"])
        for code in {economy_of[pk] for pk in people_modes}
    }
    html = response.content.decode()
    assert "Coffee break" not in html
    assert "Malaysia" in html and "No economy given" in html


def test_the_csv_holds_the_same_counts(desk, meeting):
    _, marks = crowd(meeting, 12)
    body = desk.get(reverse("desk:attendance_csv", args=[meeting.event.slug])).content.decode()
    lines = body.splitlines()
    assert lines[0] == "session,starts,ends,in person,remote,total"
    opening = meeting.items["Opening"]
    count = Counter(mark.mode for mark in marks if mark.item_uid == opening.uid)
    row = next(line for line in lines if line.startswith("Opening,"))
    assert row.endswith(f",{count['in_person']},{count['remote']},{count['in_person'] + count['remote']}")


def test_a_viewer_reads_the_counts_but_not_the_private_settings(client, meeting):
    viewer = make_user("viewer@example.org")
    EventRole.objects.create(event=meeting.event, user=viewer, role=EventRole.Role.VIEWER)
    client.force_login(viewer)
    html = client.get(reverse("desk:attendance", args=[meeting.event.slug])).content.decode()
    assert "Per session" in html and "Attendance settings" not in html
    assert client.get(reverse("desk:attendance_settings", args=[meeting.event.slug])).status_code == 403


def settings_url(meeting):
    return reverse("desk:attendance_settings", args=[meeting.event.slug])


def test_organisers_set_the_margin_the_lead_time_and_the_meeting_links(desk, meeting, organiser):
    panel = meeting.items["Soon panel"]
    data = {
        "attendance_margin_minutes": "20",
        "remote_link_lead_minutes": "45",
        "remote_meeting_url": "meet.example.org/j/new-room",
        f"link_{panel.uid}": "https://meet.example.org/j/panel",
    }
    response = desk.post(settings_url(meeting), data, follow=True)
    assert "Attendance settings saved." in response.content.decode()
    meeting.event.refresh_from_db()
    assert meeting.event.attendance_margin_minutes == 20
    assert meeting.event.remote_link_lead_minutes == 45
    assert meeting.event.remote_meeting_url == "https://meet.example.org/j/new-room"
    assert SessionMeetingLink.objects.get().url == "https://meet.example.org/j/panel"
    entry = LogEntry.objects.get(action="attendance.settings_changed")
    assert entry.actor == organiser
    assert "meet.example.org" not in json.dumps([entry.before, entry.after])  # private, even in the log
    # Emptied, the session falls back to the event's link.
    desk.post(settings_url(meeting), {**data, f"link_{panel.uid}": ""})
    assert not SessionMeetingLink.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("attendance_margin_minutes", "fifteen", "Give the margin as a whole number of minutes, e.g. 15."),
        ("attendance_margin_minutes", "-5", "Ensure this value is greater than or equal to 0."),
        ("attendance_margin_minutes", "100000", "Ensure this value is less than or equal to 240."),
        ("remote_link_lead_minutes", "1.5", "Give a whole number of minutes, e.g. 30."),
        ("remote_meeting_url", "javascript:alert(1)", "Enter a valid URL."),
        ("remote_meeting_url", "ftp://files.example.org/x", "Give a web address starting with https://."),
        ("remote_meeting_url", "https://exa\x00mple.org", "Null characters are not allowed."),
    ],
)
def test_bad_settings_get_a_clear_message_and_change_nothing(desk, meeting, field, value, message):
    data = {"attendance_margin_minutes": "15", "remote_link_lead_minutes": "30", "remote_meeting_url": "", field: value}
    response = desk.post(settings_url(meeting), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    meeting.event.refresh_from_db()
    assert (meeting.event.attendance_margin_minutes, meeting.event.remote_link_lead_minutes) == (15, 30)


def test_the_room_screen_shows_the_current_code_its_qr_and_when_it_changes(desk, meeting):
    opening = meeting.items["Opening"]
    url = reverse("desk:attendance_screen", args=[meeting.event.slug, opening.uid])
    before = timezone.now()
    html = desk.get(url).content.decode()
    codes = {room_codes.current(meeting.event, opening.uid, moment)[0] for moment in (before, timezone.now())}
    assert any(f'<p class="room-code" id="room-code" aria-label="Room code">{code}</p>' in html for code in codes)
    assert "<svg" in html
    assert "This code changes at" in html and ">Show the new code</a>" in html
    assert " Auckland time (UTC+1" in html.split("This code changes at", 1)[1][:80]
    assert 'http-equiv="refresh"' not in html
    status = desk.get(reverse("desk:attendance_screen_status", args=[meeting.event.slug, opening.uid])).json()
    assert status["open"] is True and status["code"] in codes | {
        room_codes.current(meeting.event, opening.uid, timezone.now())[0]
    }
    assert 0 <= status["seconds_left"] <= room_codes.ROTATION
    assert "code=" in status["qr"] or "<svg" in status["qr"]


def test_the_room_screen_shows_no_code_outside_the_sessions_window(desk, meeting):
    later = meeting.items["Later panel"]
    status = desk.get(reverse("desk:attendance_screen_status", args=[meeting.event.slug, later.uid])).json()
    assert status["open"] is False and status["code"] == "" and status["qr"] == ""
    assert status["message"].startswith("Attendance opens at ")
    html = desk.get(reverse("desk:attendance_screen", args=[meeting.event.slug, later.uid])).content.decode()
    assert room_codes.current(meeting.event, later.uid, timezone.now())[0] not in html


def test_a_break_or_unknown_session_has_no_screen(desk, meeting):
    for uid in (meeting.items["Coffee break"].uid, "00000000-0000-0000-0000-000000000000"):
        assert desk.get(reverse("desk:attendance_screen", args=[meeting.event.slug, uid])).status_code == 404


# The door scanner in per-session mode.


def scan(client, meeting, code, session):
    url = reverse("desk:checkin_scan", args=[meeting.event.slug]) + f"?session={session}"
    return client.post(url, json.dumps({"code": code, "id": "s1"}), content_type="application/json")


def test_at_a_sessions_door_a_scan_marks_the_person_present_and_checks_them_in(desk, meeting, delegates):
    opening = meeting.items["Opening"]
    answer = scan(desk, meeting, delegates.in_room.checkin_code, opening.uid).json()["results"][0]
    assert answer["ok"] is True and answer["outcome"] == "marked"
    assert answer["name"] == "Aisyah Ismail"
    assert answer["message"].startswith("Marked present in “Opening” at ")
    made = AttendanceMark.objects.get()
    assert (made.mode, made.source, made.item_uid) == ("in_person", "door_scan", opening.uid)
    delegates.in_room.refresh_from_db()
    assert delegates.in_room.status == Registration.Status.ATTENDED
    again = scan(desk, meeting, delegates.in_room.checkin_code, opening.uid).json()["results"][0]
    assert again["ok"] is False and again["outcome"] == "already_marked"
    assert again["reason"].startswith("Already marked present at ")
    assert AttendanceMark.objects.count() == 1


def test_at_a_sessions_door_the_reason_of_a_refusal_is_shown(desk, meeting, delegates):
    pending = scan(desk, meeting, delegates.pending.checkin_code, meeting.items["Opening"].uid).json()["results"][0]
    assert pending["ok"] is False and pending["name"] == "Paula Pending"
    assert (
        pending["reason"] == "Only confirmed participants can be marked present; this registration is pending approval."
    )
    later = scan(desk, meeting, delegates.in_room.checkin_code, meeting.items["Later panel"].uid).json()["results"][0]
    assert later["reason"].startswith("Attendance at “Later panel” opens at ")
    unknown = scan(desk, meeting, "not-a-code", meeting.items["Opening"].uid).json()["results"][0]
    assert unknown["reason"] == "Not a check-in code of this event."
    assert not AttendanceMark.objects.exists()


@pytest.mark.parametrize("session", ["nonsense", "00000000-0000-0000-0000-000000000000", "%00", "BREAK"])
def test_a_scan_for_an_unknown_session_is_a_clear_400(desk, meeting, delegates, session):
    if session == "BREAK":
        session = meeting.items["Coffee break"].uid
    response = scan(desk, meeting, delegates.in_room.checkin_code, session)
    assert response.status_code == 400
    assert response.json()["error"] == "That session is not on the published agenda: choose it again."
    assert not AttendanceMark.objects.exists()


def test_the_checkin_page_offers_the_sessions_and_points_the_scanner_at_the_chosen_one(desk, meeting):
    opening = meeting.items["Opening"]
    plain = desk.get(reverse("desk:checkin", args=[meeting.event.slug])).content.decode()
    assert '<option value="">Arrival at the event (check-in)</option>' in plain
    assert "Session: Opening, " in plain and "Coffee break" not in plain
    chosen = desk.get(reverse("desk:checkin", args=[meeting.event.slug]), {"session": opening.uid}).content.decode()
    assert f'data-scan-url="/desk/events/{meeting.event.slug}/checkin/scan/?session={opening.uid}"' in chosen
    # Scans kept offline wait in a queue of their own mode, and are sent for that session.
    assert f'data-event="{meeting.event.slug}:{opening.uid}"' in chosen
    assert f'data-event="{meeting.event.slug}"' in plain
    assert "each scan marks the person present in this session" in chosen


def test_the_persons_desk_page_lists_their_sessions(desk, meeting, delegates):
    AttendanceMark.objects.create(
        registration=delegates.online,
        item_uid=meeting.items["Opening"].uid,
        mode="remote",
        source="join_link",
        marked_at=meeting.now,
    )
    html = desk.get(reverse("desk:registration", args=[meeting.event.slug, delegates.online.uid])).content.decode()
    assert "Sessions attended" in html
    assert "Opening — " in html and "remote (personal join link followed)" in html
    # 60 of 60 + 60 + 60 + 90 minutes of sessions (the break not counted): 22%.
    assert "1 session, 22% of the meeting" in html


def test_a_participant_cannot_open_the_desk_pages(client, meeting, delegates):
    client.force_login(delegates.in_room.user)
    for name, args in (
        ("desk:attendance", [meeting.event.slug]),
        ("desk:attendance_screen", [meeting.event.slug, meeting.items["Opening"].uid]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404


def test_checkin_staff_may_run_the_screen_and_the_door(client, meeting, delegates):
    staff = make_user("door@example.org")
    EventRole.objects.create(event=meeting.event, user=staff, role=EventRole.Role.CHECK_IN)
    client.force_login(staff)
    opening = meeting.items["Opening"]
    assert client.get(reverse("desk:attendance_screen", args=[meeting.event.slug, opening.uid])).status_code == 200
    assert scan(client, meeting, delegates.in_room.checkin_code, opening.uid).json()["results"][0]["ok"] is True
    assert AttendanceMark.objects.get().marked_by == staff
    assert client.get(reverse("desk:attendance", args=[meeting.event.slug])).status_code == 403
