from datetime import timedelta

import pytest
from django.core import mail

from events import services as event_services
from registrations import reminders, services
from registrations.models import Delivery, StarredItem

from ..factories import add_item, settled

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def test_organiser_writes_to_filtered_participants_and_sees_progress(
    desk, workshop, people, django_capture_on_commit_callbacks
):
    users = people(3)
    users[2].profile.economy = "MY"
    users[2].profile.save()
    for user in users:
        settled(services.register, workshop, user, economy=user.profile.economy)  # the third is waitlisted
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            f"/desk/events/{workshop.slug}/messages/",
            {
                "subject": "Shuttle bus",
                "body": "The bus leaves at 08:00.\n<b>Bring your badge</b>.",
                "status": ["confirmed"],
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users[:2])
    message = mail.outbox[0]
    assert message.subject == f"Shuttle bus [{workshop.title}]"
    assert "The bus leaves at 08:00." in message.body
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    assert "&lt;b&gt;Bring your badge&lt;/b&gt;" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page = desk.get(response["Location"]).content.decode()
    assert "Done: 2 sent" in page and 'http-equiv="refresh"' not in page


def test_message_progress_page_polls_its_status_while_sending(desk, workshop, people, client):
    for user in people(2):
        settled(services.register, workshop, user)
    response = desk.post(
        f"/desk/events/{workshop.slug}/messages/", {"subject": "Hi", "body": "Hello", "status": ["confirmed"]}
    )
    page = desk.get(response["Location"]).content.decode()
    status_url = f"{response['Location']}status/"
    assert "Sending: 0 of 2 handled." in page and "http-equiv" not in page
    assert f'data-progress-status="{status_url}"' in page and '<progress max="2" value="0"' in page
    assert f'<a href="{response["Location"]}">Check again</a>' in page
    status = desk.get(status_url).json()
    assert (status["state"], status["done"], status["total"]) == ("running", 0, 2)
    reminders.send_due()
    status = desk.get(status_url).json()
    assert status == {"state": "done", "text": "Done: 2 sent.", "done": 2, "total": 2, "finished": True}


def test_message_form_needs_subject_body_and_a_status(desk, workshop):
    response = desk.post(f"/desk/events/{workshop.slug}/messages/", {"subject": "", "body": ""})
    assert response.content.decode().count("This field is required.") == 3
    assert not Delivery.objects.exists()


def test_other_organisers_cannot_write_or_read_messages(client, other_organiser, workshop, people):
    client.force_login(other_organiser)
    assert (
        client.post(
            f"/desk/events/{workshop.slug}/messages/", {"subject": "x", "body": "y", "status": ["confirmed"]}
        ).status_code
        == 404
    )
    assert client.get(f"/desk/events/{workshop.slug}/messages/1/").status_code == 404


def test_star_a_session_and_get_a_starting_soon_reminder_when_opted_in(client, workshop, organiser, people):
    (user,) = people(1)
    settled(services.register, workshop, user)
    start = workshop.starts_at.astimezone(workshop.tz).replace(tzinfo=None) + timedelta(hours=2)
    add_item(workshop, "Hague System", start, room="Room 2")
    event_services.publish_agenda(workshop, actor=organiser)
    workshop.refresh_from_db()
    item = workshop.current_version.items.get()
    client.force_login(user)
    agenda = client.get(f"/events/{workshop.slug}/agenda/").content.decode()
    assert f"/events/{workshop.slug}/agenda/items/{item.uid}/star/" in agenda
    client.post(f"/events/{workshop.slug}/agenda/items/{item.uid}/star/")
    assert "Hague System" in client.get(f"/events/{workshop.slug}/my-agenda/").content.decode()
    soon = item.starts_at - timedelta(minutes=15)
    assert reminders.send_due(now=soon) == 0  # opt-in: off by default
    user.profile.starting_soon_reminders = True
    user.profile.save()
    assert reminders.send_due(now=soon - timedelta(minutes=1)) == 0  # not before its time
    assert reminders.send_due(now=soon) == 1
    assert reminders.send_due(now=soon + timedelta(minutes=2)) == 0
    (message,) = mail.outbox
    local = item.starts_at.astimezone(workshop.tz)
    assert message.subject == f"Starting at {local:%H:%M}: Hague System"
    assert "Room 2" in message.body
    client.post(f"/events/{workshop.slug}/agenda/items/{item.uid}/star/")  # unstar
    assert not StarredItem.objects.exists()


def test_star_pages_need_a_published_session(client, workshop, people):
    client.force_login(people(1)[0])
    assert (
        client.get(f"/events/{workshop.slug}/agenda/items/00000000-0000-0000-0000-000000000000/star/").status_code
        == 404
    )
    assert client.get("/events/no-such-event/my-agenda/").status_code == 404
