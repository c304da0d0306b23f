"""Personal join links of remote participants: shown on their own
registration page only from the lead time before a session until its end,
followed only by that person, recording a remote mark and forwarding to the
private meeting link, which no public page or feed ever shows."""

from datetime import timedelta

import pytest
from django.urls import reverse

from attendance import join_links
from attendance.models import AttendanceMark, SessionMeetingLink
from registrations import calendar_feed

from ..factories import make_user

pytestmark = pytest.mark.django_db

SECRET = "ipeg-secret-room"


def join_url(registration, item):
    return reverse("attendance:join", args=[join_links.token_for(registration, item.uid)])


def detail(client, registration):
    client.force_login(registration.user)
    return client.get(reverse("registrations:detail", args=[registration.uid])).content.decode()


def test_a_remote_participant_sees_join_links_only_from_the_lead_time_until_the_end(client, meeting, delegates):
    html = detail(client, delegates.online)
    items = meeting.items
    # On now, and starting in 20 minutes (links appear 30 minutes before).
    assert f'href="{join_url(delegates.online, items["Opening"])}"' in html
    assert f'href="{join_url(delegates.online, items["Soon panel"])}"' in html
    assert "Join “Opening”" in html and "Join “Soon panel”" in html
    # Over, later today, and a break: no link.
    assert "Join “Earlier talk”" not in html
    assert "Join “Later panel”" not in html
    assert "Join “Coffee break”" not in html
    shown = (items["Later panel"].starts_at - timedelta(minutes=30)).astimezone(meeting.event.tz)
    assert "Your next join link appears at " + f"{shown:%H:%M} (Auckland time" in html
    assert SECRET not in html


def test_join_links_appear_exactly_at_the_lead_time_and_go_at_the_end(meeting, delegates):
    sessions = [meeting.items["Later panel"]]
    later = sessions[0]
    lead = later.starts_at - timedelta(minutes=30)
    at = [
        len(join_links.visible(delegates.online, sessions, moment))
        for moment in (lead - timedelta(seconds=1), lead, later.ends_at, later.ends_at + timedelta(seconds=1))
    ]
    assert at == [0, 1, 1, 0]


def test_people_in_the_room_and_people_without_a_seat_get_no_join_links(client, meeting, delegates):
    assert "Join “Opening”" not in detail(client, delegates.in_room)
    assert "enter the room code" in detail(client, delegates.in_room)
    delegates.pending.participation_mode = "remote_speaking"
    delegates.pending.save()
    assert join_links.visible(delegates.pending, [meeting.items["Opening"]]) == []


def test_following_the_link_records_remote_attendance_and_forwards_to_the_meeting(client, meeting, delegates):
    client.force_login(delegates.online.user)
    response = client.get(join_url(delegates.online, meeting.items["Opening"]))
    assert response.status_code == 302
    assert response["Location"] == "https://meet.example.org/j/ipeg-secret-room"
    made = AttendanceMark.objects.get()
    assert (made.registration, made.item_uid, made.mode, made.source) == (
        delegates.online,
        meeting.items["Opening"].uid,
        "remote",
        "join_link",
    )
    # Following it again (a second tab, a dropped call) forwards again and keeps one mark.
    assert client.get(join_url(delegates.online, meeting.items["Opening"]))["Location"].endswith(SECRET)
    assert AttendanceMark.objects.count() == 1


def test_a_sessions_own_meeting_link_wins_over_the_events(client, meeting, delegates):
    SessionMeetingLink.objects.create(
        event=meeting.event, item_uid=meeting.items["Soon panel"].uid, url="https://meet.example.org/j/panel-room"
    )
    client.force_login(delegates.online.user)
    # 20 minutes before the panel: past the lead time, before the 15-minute margin, and still taken.
    response = client.get(join_url(delegates.online, meeting.items["Soon panel"]))
    assert response["Location"] == "https://meet.example.org/j/panel-room"
    assert AttendanceMark.objects.get().source == "join_link"


def test_outside_its_window_the_link_says_when_it_opens_and_records_nothing(client, meeting, delegates):
    client.force_login(delegates.online.user)
    later = meeting.items["Later panel"]
    response = client.get(join_url(delegates.online, later))
    opens = (later.starts_at - timedelta(minutes=30)).astimezone(meeting.event.tz)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Attendance at “Later panel” opens at {opens:%H:%M} (Auckland time" in html
    assert SECRET not in html
    over = client.get(join_url(delegates.online, meeting.items["Earlier talk"])).content.decode()
    assert "Attendance at “Earlier talk” closed at " in over
    assert not AttendanceMark.objects.exists()


def test_nobody_but_that_participant_can_follow_it(client, meeting, delegates):
    url = join_url(delegates.online, meeting.items["Opening"])
    assert client.get(url).url.startswith(reverse("account_login"))
    for someone in (
        delegates.in_room.user,
        make_user("stranger@example.org"),
        make_user("staff@example.org", staff=True),
    ):
        client.force_login(someone)
        assert client.get(url).status_code == 404
    assert not AttendanceMark.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "a" * 5000, "x:y:z", "\x00", "WyJhIiwgImIiXQ:1abc:forged"])
def test_a_made_up_or_tampered_token_is_not_found(client, meeting, delegates, token):
    client.force_login(delegates.online.user)
    genuine = join_links.token_for(delegates.online, meeting.items["Opening"].uid)
    for candidate in (token, genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")):
        assert client.get(f"/attendance/join/{candidate}/").status_code == 404
    assert not AttendanceMark.objects.exists()


def test_a_token_for_a_break_or_a_dropped_session_is_not_found(client, meeting, delegates):
    client.force_login(delegates.online.user)
    assert client.get(join_url(delegates.online, meeting.items["Coffee break"])).status_code == 404


def test_the_meeting_link_never_appears_on_public_pages_or_in_feeds(client, meeting, delegates):
    SessionMeetingLink.objects.create(
        event=meeting.event, item_uid=meeting.items["Opening"].uid, url="https://meet.example.org/j/ipeg-secret-room-2"
    )
    slug, uid = meeting.event.slug, meeting.items["Opening"].uid
    token = calendar_feed.regenerate(delegates.online.user)
    urls = [
        reverse("events:list"),
        reverse("events:feed"),
        reverse("events:detail", args=[slug]),
        reverse("events:event_ics", args=[slug]),
        reverse("events:agenda", args=[slug]),
        reverse("events:agenda_feed", args=[slug]),
        reverse("events:item_ics", args=[slug, uid]),
        reverse("events:item_calendar", args=[slug, uid]),
        reverse("personal_feed", args=[token]),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert SECRET not in body, url
    # Nor on the participant's own pages, which carry only their personal links.
    client.force_login(delegates.online.user)
    for url in (reverse("registrations:mine"), reverse("registrations:detail", args=[delegates.online.uid])):
        page = client.get(url).content.decode()
        assert SECRET not in page and "meet.example.org" not in page
