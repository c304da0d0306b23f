"""Pages that know their reader (issue 13, items 2, 3, 5, 6): the event page
shows the reader's registration, seats left and the registration window in
words; zones are named by city and offset; the reader's zone is remembered
(profile when signed in, cookie otherwise); confirmation mails, the personal
feed page and each session carry calendar links."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from events import event_page
from events import services as event_services
from registrations import services
from registrations.models import ParticipantProfile

from ..factories import add_item, make_user, settled

pytestmark = pytest.mark.django_db
AUCKLAND = ZoneInfo("Pacific/Auckland")


@pytest.fixture
def reader(client, people):
    (user,) = people(1)
    client.force_login(user)
    return user


def test_anonymous_reader_sees_register_seats_left_and_the_window_in_words(client, workshop):
    workshop.registration_closes_at = workshop.starts_at - timedelta(days=2)
    workshop.save()
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert "<dt>Seats left</dt><dd>2 of 2</dd>" in page
    closes = workshop.registration_closes_at.astimezone(AUCKLAND)
    assert f"Registration is open until {closes.day} {closes:%B %Y}, {closes:%H:%M} Auckland time (UTC+1" in page
    assert f'href="/events/{workshop.slug}/register/">Register</a>' in page
    assert "Your registration" not in page


def test_registered_reader_sees_their_registration_instead_of_register(client, workshop, reader, people):
    (other,) = people(1, prefix="first")
    settled(services.register, workshop, other)
    registration = settled(services.register, workshop, reader)
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert "<strong>Confirmed</strong>" in page
    assert f'href="/registrations/{registration.uid}/">Your registration</a>' in page
    assert f'href="/registrations/{registration.uid}/invitation.ics">Your calendar entry (.ics)</a>' in page
    assert "<dt>Seats left</dt><dd>None: the event is full." in page
    assert f'href="/events/{workshop.slug}/register/"' not in page


def test_waitlisted_reader_sees_their_place_in_the_queue(client, workshop, people):
    seated_people, waiting = people(2, prefix="seated"), people(2, prefix="waiting")
    for person in seated_people + waiting:
        settled(services.register, workshop, person)
    client.force_login(waiting[1])
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert "<strong>Waitlisted</strong>: you are number 2 on the waiting list" in page


def test_cancelled_reader_may_register_again(client, workshop, reader):
    registration = settled(services.register, workshop, reader)
    settled(services.cancel, registration, actor=reader)
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert "<strong>Cancelled</strong>" in page
    assert ">Register again</a>" in page


def test_registration_window_sentences(workshop):
    opens = workshop.starts_at - timedelta(days=20)
    closes = workshop.starts_at - timedelta(days=5)
    workshop.registration_opens_at, workshop.registration_closes_at = opens, closes
    state, sentence = event_page.registration_window(workshop, now=opens - timedelta(days=1))
    local = opens.astimezone(AUCKLAND)
    assert state == "not_yet"
    assert sentence.startswith(f"Registration opens on {local.day} {local:%B %Y}, {local:%H:%M} Auckland time (UTC+")
    assert " and closes on " in sentence
    assert event_page.registration_window(workshop, now=opens)[0] == "open"
    state, sentence = event_page.registration_window(workshop, now=closes)
    assert state == "closed" and sentence.startswith("Registration closed on ")
    assert event_page.registration_window(workshop, now=workshop.ends_at)[1].endswith("the event has taken place.")
    workshop.status = workshop.Status.CANCELLED
    assert event_page.registration_window(workshop) is None


def test_window_text_follows_daylight_saving(workshop):
    # 17:00 in Auckland on 1 March is NZDT (UTC+13), on 10 April NZST (UTC+12).
    workshop.starts_at = datetime(2031, 5, 1, 9, 0, tzinfo=AUCKLAND)
    workshop.ends_at = workshop.starts_at + timedelta(hours=8)
    workshop.registration_closes_at = datetime(2031, 3, 1, 17, 0, tzinfo=AUCKLAND)
    now = datetime(2031, 2, 1, tzinfo=AUCKLAND)
    assert event_page.registration_window(workshop, now=now)[1] == (
        "Registration is open until 1 March 2031, 17:00 Auckland time (UTC+13)."
    )
    workshop.registration_closes_at = datetime(2031, 4, 10, 17, 0, tzinfo=AUCKLAND)
    assert event_page.registration_window(workshop, now=now)[1] == (
        "Registration is open until 10 April 2031, 17:00 Auckland time (UTC+12)."
    )


def test_anonymous_reader_zone_is_kept_in_a_cookie(client, workshop):
    response = client.get(f"/events/{workshop.slug}/?tz=America/Santiago")
    assert response.cookies["reader_tz"].value == "America/Santiago"
    assert response.cookies["reader_tz"]["httponly"] and response.cookies["reader_tz"]["samesite"] == "Lax"
    assert "Cookie" in response["Vary"]
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert "Your time:" in page and 'title="America/Santiago">Santiago time, UTC-' in page
    assert '<option value="America/Santiago" selected>' in page
    # Venue time only forgets it.
    response = client.get(f"/events/{workshop.slug}/?tz=")
    assert response.cookies["reader_tz"].value == ""
    assert "Your time:" not in client.get(f"/events/{workshop.slug}/").content.decode()


def test_unknown_zone_is_explained_and_changes_nothing(client, workshop):
    client.get(f"/events/{workshop.slug}/?tz=Asia/Tokyo")
    response = client.get(f"/events/{workshop.slug}/?tz=Mars/Olympus")
    page = response.content.decode()
    assert "That time zone is not known" in page
    assert "reader_tz" not in response.cookies
    assert client.cookies["reader_tz"].value == "Asia/Tokyo"


def test_signed_in_reader_zone_is_saved_in_the_profile_and_follows_them(client, workshop, reader):
    add_item(workshop, "Opening", workshop.starts_at)
    event_services.publish_agenda(workshop, actor=make_user("publisher@example.org"))
    client.get(f"/events/{workshop.slug}/?tz=Asia/Kolkata")
    reader.profile.refresh_from_db()
    assert reader.profile.time_zone == "Asia/Kolkata"
    # Another browser, no cookie: the profile says which zone.
    client.cookies.clear()
    client.force_login(reader)
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert 'title="Asia/Kolkata">Kolkata time, UTC+5:30' in page
    agenda = client.get(f"/events/{workshop.slug}/agenda/").content.decode()
    assert 'title="Asia/Kolkata">Kolkata time, UTC+5:30' in agenda


def test_profile_form_sets_the_zone(client, reader):
    data = {"full_name": "Delegate", "economy": "CL", "time_zone": "America/Santiago"}
    data.update({"event_reminders": "on", "agenda_change_notices": "on"})
    response = client.post("/accounts/profile/", data)
    assert response.status_code == 302
    assert ParticipantProfile.objects.get(user=reader).time_zone == "America/Santiago"
    response = client.post("/accounts/profile/", {**data, "time_zone": "Mars/Olympus"})
    assert response.status_code == 200 and ParticipantProfile.objects.get(user=reader).time_zone == "America/Santiago"


def test_zone_names_on_cards_and_my_registrations(client, workshop, reader):
    settled(services.register, workshop, reader)
    cards = client.get("/events/").content.decode()
    assert 'class="zone-city" title="Pacific/Auckland">Auckland time, UTC+1' in cards
    mine = client.get("/registrations/").content.decode()
    assert 'title="Pacific/Auckland">Auckland time, UTC+1' in mine
    assert ">Pacific/Auckland<" not in mine


def test_confirmation_mail_has_the_add_to_calendar_links(workshop, reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.register(workshop, reader)
    (message,) = mail.outbox
    assert "Add the event to your calendar:" in message.body
    for start in (
        "  Google Calendar: https://calendar.google.com/calendar/render?action=TEMPLATE&text=",
        "  Outlook.com: https://outlook.live.com/calendar/0/action/compose?",
        "  Microsoft 365 (work or school): https://outlook.office.com/calendar/0/action/compose?",
        "  Apple Calendar and others (.ics file): http",
    ):
        assert start in message.body
    assert f"/events/{workshop.slug}/event.ics" in message.body
    html = message.alternatives[0][0]
    assert "<strong>Add to calendar:</strong>" in html and "outlook.office.com/calendar/0/action/compose?" in html
    # A start time in UTC with Z, as every client reads it alike.
    start = workshop.starts_at.astimezone(UTC)
    assert f"dates={start:%Y%m%dT%H%M%SZ}/" in message.body


def test_cancellation_mail_has_no_add_to_calendar_links(workshop, reader, django_capture_on_commit_callbacks):
    registration = settled(services.register, workshop, reader)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration, actor=reader)
    (message,) = mail.outbox
    assert "Add the event to your calendar" not in message.body


def test_personal_feed_page_shows_subscribe_links_once(client, reader):
    page = client.post("/accounts/calendar/").content.decode()
    for label in ("Google Calendar", "Outlook.com", "Microsoft 365 (work or school)"):
        assert f">{label}</a>" in page
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in page
    assert "https://outlook.office.com/calendar/0/addfromweb?url=http" in page
    assert 'href="webcal://' in page
    later = client.get("/accounts/calendar/").content.decode()
    assert "webcal://" not in later and "addfromweb" not in later


def test_each_session_has_its_calendar_choices(client, workshop):
    organiser = make_user("publisher@example.org")
    add_item(workshop, "Opening", workshop.starts_at, room="Hall A")
    event_services.publish_agenda(workshop, actor=organiser)
    workshop.refresh_from_db()
    item = workshop.current_version.items.get()
    agenda = client.get(f"/events/{workshop.slug}/agenda/").content.decode()
    # The menu sits beside the session (tests/events/test_agenda_calendar_menu.py) …
    assert '<summary>Add to calendar<span class="visually-hidden">: Opening</span></summary>' in agenda
    assert f'/events/{workshop.slug}/agenda/items/{item.uid}.ics" rel="nofollow">Apple Calendar' in agenda
    assert f'/events/{workshop.slug}/agenda/items/{item.uid}/calendar/office365/" rel="nofollow">Microsoft' in agenda
    # … and the session's own page, linked from there before, still answers.
    link = f"/events/{workshop.slug}/agenda/items/{item.uid}/calendar/"
    page = client.get(link).content.decode()
    assert "Add “Opening” to your calendar" in page
    assert "https://outlook.office.com/calendar/0/action/compose?" in page
    assert f"/events/{workshop.slug}/agenda/items/{item.uid}.ics" in page
    assert (
        client.get(f"/events/{workshop.slug}/agenda/items/00000000-0000-0000-0000-000000000000/calendar/").status_code
        == 404
    )


def test_my_agenda_shows_the_reader_zone_beside_the_venue(client, workshop, reader):
    from registrations.models import StarredItem

    add_item(workshop, "Opening", workshop.starts_at)
    event_services.publish_agenda(workshop, actor=make_user("publisher@example.org"))
    workshop.refresh_from_db()
    item = workshop.current_version.items.get()
    StarredItem.objects.create(user=reader, event=workshop, item_uid=item.uid)
    page = client.get(f"/events/{workshop.slug}/my-agenda/?tz=Asia/Tokyo").content.decode()
    assert 'title="Pacific/Auckland">Auckland time, UTC+1' in page
    assert 'with your chosen zone (<span class="zone-city" title="Asia/Tokyo">Tokyo time, UTC+9</span>)' in page
    local = item.starts_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f'<span class="reader-time">({local:%a} {local.day} {local:%b %H:%M} ' in page
    reader.profile.refresh_from_db()
    assert reader.profile.time_zone == "Asia/Tokyo"
