"""Reminders and notices: due ones go once, nothing goes early, for a draft or
cancelled event, or to someone who cancelled."""

import time
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.management import call_command
from django.urls import set_script_prefix
from django.utils import timezone

from events import services as event_services
from registrations import notifications, reminders, services
from registrations.models import Delivery

from ..factories import add_item, make_event, make_user, make_venue, settled

pytestmark = pytest.mark.django_db

WEEK, DAY = 7 * 24 * 60, 24 * 60


def reminders_only():
    """Delivery rows other than the registration notices the services write."""
    return Delivery.objects.exclude(kind=Delivery.Kind.REGISTRATION)


def at(event, minutes_before):
    return event.starts_at - timedelta(minutes=minutes_before)


def test_due_reminder_goes_once_with_local_time_zone_links_and_calendar(workshop, people):
    (user,) = people(1)
    settled(services.register, workshop, user)
    assert reminders.send_due(now=at(workshop, WEEK) - timedelta(minutes=1)) == 0  # not before its time
    assert reminders.send_due(now=at(workshop, WEEK)) == 1
    assert reminders.send_due(now=at(workshop, WEEK) + timedelta(minutes=5)) == 0  # never twice
    (message,) = mail.outbox
    local = workshop.starts_at.astimezone(workshop.tz)
    assert message.subject.startswith(f"Reminder: {workshop.title} starts on ")
    assert f"{local:%H:%M}" in message.subject and "NZ" in message.subject
    assert "starts in 7 days" in message.body and "Pacific/Auckland" in message.body
    assert f"/events/{workshop.slug}/agenda.pdf" in message.body
    assert f"Meeting documents: {settings.SITE_URL}/events/{workshop.slug}/documents/" in message.body
    html = message.alternatives[0][0]
    assert f'<a href="{settings.SITE_URL}/events/{workshop.slug}/documents/">Meeting documents</a>' in html
    delivery = reminders_only().get()
    assert message.extra_headers["Message-ID"] == f"<delivery-{delivery.pk}@ipeg-events>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (calendar,) = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    assert calendar.get_filename() == f"{workshop.slug}.ics"
    entry = calendar.get_payload(decode=True).decode()
    assert f"DTSTART;TZID=Pacific/Auckland:{local:%Y%m%dT%H%M%S}" in entry and f"SUMMARY:{workshop.title}" in entry
    assert reminders.send_due(now=at(workshop, DAY)) == 1  # the day-before one is its own reminder


def test_the_command_sends_what_is_due_and_twice_sends_nothing_twice(workshop, people, capsys, monkeypatch):
    for user in people(2):
        settled(services.register, workshop, user)
    monkeypatch.setattr(timezone, "now", lambda: at(workshop, DAY) + timedelta(minutes=1))
    call_command("send_due_reminders")
    call_command("send_due_reminders")
    assert capsys.readouterr().out.splitlines() == ["2 messages sent.", "0 messages sent."]
    assert len(mail.outbox) == 2


def test_no_reminder_for_waitlisted_cancelled_draft_or_cancelled_events(workshop, people, other_event):
    users = people(4)
    registrations = [settled(services.register, workshop, user) for user in users[:3]]  # two seats: the third waits
    settled(services.cancel, registrations[0], actor=None)  # the waiting one is promoted
    assert reminders.send_due(now=at(workshop, WEEK)) == 2
    assert {m.to[0] for m in mail.outbox} == {users[1].email, users[2].email}
    assert reminders.send_due(now=at(other_event, DAY)) == 0  # a draft event has no reminders


def test_sent_at_is_stored_as_the_orm_stores_it_so_filters_find_it(workshop, people):
    settled(services.register, workshop, people(1)[0])
    now = at(workshop, DAY)
    reminders.plan(now)
    token = reminders.claim(now)
    before = timezone.now()
    assert reminders.send(token, now) == 1
    delivery = reminders_only().get()
    assert before <= delivery.sent_at <= timezone.now()
    # An exact lookup compares what is stored with what the ORM would store;
    # SQLite compares text, so a different format would find nothing.
    assert reminders_only().filter(sent_at=delivery.sent_at).count() == 1


def test_state_at_send_time_wins(workshop, people):
    first, second = (settled(services.register, workshop, user) for user in people(2))
    now = at(workshop, DAY)
    reminders.plan(now)
    token = reminders.claim(now)
    settled(services.cancel, first, actor=None)  # after planning, before sending
    assert reminders.send(token, now) == 1
    skipped = reminders_only().get(registration=first)
    assert skipped.status == "skipped" and skipped.skip_reason == "registration is cancelled"
    assert mail.outbox[0].to == [second.user.email]


def test_someone_promoted_late_gets_only_the_reminders_still_ahead(workshop, people):
    users = people(3)
    registrations = [settled(services.register, workshop, user) for user in users]
    reminders.send_due(now=at(workshop, WEEK))
    settled(services.cancel, registrations[0], actor=None)  # users[2] is promoted three days later
    assert reminders.send_due(now=at(workshop, WEEK) + timedelta(days=3)) == 0
    mail.outbox.clear()
    reminders.send_due(now=at(workshop, DAY))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users[1].email, users[2].email])


def test_rescheduling_moves_the_reminders(workshop, people):
    settled(services.register, workshop, people(1)[0])
    original = at(workshop, DAY)
    workshop.starts_at += timedelta(days=2)
    workshop.ends_at += timedelta(days=2)
    workshop.save()
    assert reminders.send_due(now=original) == 0
    assert reminders.send_due(now=at(workshop, DAY)) == 1


def test_cancelling_the_event_drops_reminders_and_tells_everyone_once(
    workshop, people, django_capture_on_commit_callbacks
):
    users = people(3)
    for user in users:
        settled(services.register, workshop, user)
    reminders.plan(at(workshop, WEEK))  # planned but not yet sent
    with django_capture_on_commit_callbacks(execute=True):
        event_services.cancel_event(workshop, actor=None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert all(m.subject == f"Cancelled: {workshop.title}" for m in mail.outbox)
    assert not Delivery.objects.filter(kind="event_reminder", status="pending").exists()
    assert reminders.send_due(now=at(workshop, DAY)) == 0


def test_a_burst_of_publications_sends_one_agenda_notice(workshop, organiser, people, settings):
    for user in people(2):
        settled(services.register, workshop, user)
    start = workshop.starts_at.astimezone(workshop.tz).replace(tzinfo=None)
    add_item(workshop, "Opening", start)
    event_services.publish_agenda(workshop, actor=organiser)  # version 1: no notice
    for n in range(5):
        add_item(workshop, f"Added {n}", start + timedelta(hours=n + 1))
        event_services.publish_agenda(workshop, actor=organiser)
    assert Delivery.objects.filter(kind="agenda_change").count() == 2  # one per person
    assert reminders.send_due() == 0  # the notice waits for the burst to end
    later = timezone.now() + timedelta(minutes=settings.AGENDA_NOTICE_DELAY_MINUTES + 1)
    assert reminders.send_due(now=later) == 2
    body = mail.outbox[0].body
    assert "version 6 is published" in body
    assert body.count("Added:") == 5


def test_optional_mails_can_be_turned_off_with_one_click(client, workshop, people):
    (user,) = people(1)
    settled(services.register, workshop, user)
    reminders.send_due(now=at(workshop, WEEK))
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("testserver", 1)[-1].split("://", 1)[-1]
    path = path[path.index("/unsubscribe/") :]
    assert "Stop reminders before your events?" in client.get(path).content.decode()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert "you will get no more reminders" in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.event_reminders is False
    assert reminders.send_due(now=at(workshop, DAY)) == 0
    assert Delivery.objects.get(key=str(DAY)).skip_reason == "turned off by the participant"


def test_tampered_unsubscribe_links_are_refused(client, db):
    make_user("x@example.org")
    assert client.get("/unsubscribe/not-a-valid-token/").status_code == 404
    assert client.post("/unsubscribe/not-a-valid-token/").status_code == 404


def unsubscribe_path(user, kind="event_reminder", *, days_ago=0):
    """A link as a mail made ``days_ago`` would carry it: the signer's clock
    (``time.time`` as django.core.signing sees it) is set back while signing,
    and nothing sleeps."""
    with pytest.MonkeyPatch.context() as patch:
        signed_at = time.time() - days_ago * 24 * 3600
        patch.setattr(signing, "time", SimpleNamespace(time=lambda: signed_at))
        return urlsplit(notifications.unsubscribe_url(user, kind)).path


def test_unsubscribe_links_work_for_their_lifetime_and_then_show_the_way_to_the_profile(client, db):
    user = make_user("holiday@example.org")
    assert timedelta(days=60) == notifications.UNSUBSCRIBE_MAX_AGE
    fresh = unsubscribe_path(user, days_ago=59)
    assert "Stop reminders before your events?" in client.get(fresh).content.decode()
    assert client.post(fresh, {"List-Unsubscribe": "One-Click"}).status_code == 200  # RFC 8058 one-click
    user.profile.refresh_from_db()
    assert user.profile.event_reminders is False

    old = unsubscribe_path(user, "agenda_change", days_ago=61)
    for response in (client.get(old), client.post(old, {"List-Unsubscribe": "One-Click"})):
        page = response.content.decode()
        assert response.status_code == 410
        assert "This unsubscribe link has expired" in page and "60 days" in page
        assert 'href="/accounts/profile/#mail-switches"' in page
    user.profile.refresh_from_db()
    assert user.profile.agenda_change_notices is True  # nothing changed


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: token.split(":", 1)[0][:-2] + ":" + token.split(":", 1)[1],  # payload cut short
        lambda token: token.rsplit(":", 1)[0],  # signature dropped
        lambda token: token + "%00",
    ],
)
def test_tampered_unsubscribe_links_show_a_page_and_change_nothing(client, db, tamper):
    user = make_user("tamper@example.org")
    token = unsubscribe_path(user).rstrip("/").rsplit("/", 1)[-1]
    for response in (client.get(f"/unsubscribe/{tamper(token)}/"), client.post(f"/unsubscribe/{tamper(token)}/")):
        assert response.status_code == 404
        assert "This unsubscribe link is not valid" in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.event_reminders is True


def test_a_genuine_link_for_an_unknown_kind_or_person_is_refused(client, db):
    user = make_user("gone@example.org")
    unknown_kind = unsubscribe_path(user, "registration")
    gone = unsubscribe_path(user)
    user.delete()
    assert client.get(unknown_kind).status_code == 404
    assert client.post(gone).status_code == 404


def test_two_claims_never_share_a_delivery(workshop, people):
    for user in people(2):
        settled(services.register, workshop, user)
    now = at(workshop, DAY)
    reminders.plan(now)
    first = reminders.claim(now, limit=1)
    second = reminders.claim(now, limit=1)
    assert reminders.claim(now) is None
    assert first != second
    owners = reminders_only().values_list("claim_token", flat=True)
    assert sorted(owners) == sorted([first, second])


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over(workshop, people):
    settled(services.register, workshop, people(1)[0])
    now = at(workshop, DAY)
    reminders.plan(now)
    dead = reminders.claim(now)
    assert reminders.claim(now + timedelta(minutes=1)) is None  # still fresh: left alone
    taken_over = reminders.claim(now + reminders.stale_claim() + timedelta(seconds=1))
    assert taken_over not in (None, dead)
    assert reminders.send(dead, now) == 0  # the old batch finds nothing of its own
    assert reminders.send(taken_over, now) == 1


def test_one_batch_for_two_events_gives_each_mail_its_own_event(workshop, people):
    penang = make_event(
        "penang-workshop",
        venue=make_venue("Asia/Kuala_Lumpur", "George Town"),
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        capacity=5,
    )
    auckland_user, penang_user = people(2)
    settled(services.register, workshop, auckland_user)
    settled(services.register, penang, penang_user)
    assert reminders.send_due(now=at(workshop, DAY)) == 2
    assert reminders_only().values("claim_token").distinct().count() == 1  # one batch held both
    by_recipient = {message.to[0]: message for message in mail.outbox}
    auckland_mail, penang_mail = by_recipient[auckland_user.email], by_recipient[penang_user.email]
    assert "Venue in Auckland" in auckland_mail.body and "Pacific/Auckland" in auckland_mail.body
    assert "Venue in George Town" in penang_mail.body and "Asia/Kuala_Lumpur" in penang_mail.body
    assert "Venue in Auckland" not in penang_mail.body and workshop.title not in penang_mail.subject
    assert f"/events/{penang.slug}/agenda/" in penang_mail.body


def test_links_follow_a_changed_site_url_and_script_prefix(workshop, people, settings):
    user = people(1)[0]
    settled(services.register, workshop, user)
    plain = notifications.unsubscribe_url(user, "event_reminder")
    set_script_prefix("/ipeg/")
    try:
        prefixed = notifications.unsubscribe_url(user, "event_reminder")
    finally:
        set_script_prefix("/")
    assert "/ipeg/unsubscribe/" in prefixed and "/ipeg/" not in plain
    settings.SITE_URL = "https://events.example.org"
    assert reminders.send_due(now=at(workshop, DAY)) == 1
    assert f"https://events.example.org/events/{workshop.slug}/agenda/" in mail.outbox[0].body
