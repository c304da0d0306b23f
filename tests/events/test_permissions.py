"""Object-level permissions: an organiser of one event cannot see drafts of,
change, or publish another; what they cannot see answers 404, not 403."""

from datetime import datetime

import pytest

from events import services
from events.models import AgendaItem, Event

from ..factories import add_item, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_item(other_event):
    return add_item(other_event, "Confidential session", datetime(2031, 5, 3, 10, 0))


def test_draft_event_is_invisible_to_the_public_and_other_organisers(client, other_event, organiser):
    for path in (f"/events/{other_event.slug}/", f"/events/{other_event.slug}/agenda/"):
        assert client.get(path).status_code == 404
    client.force_login(organiser)
    for path in (f"/events/{other_event.slug}/", f"/events/{other_event.slug}/agenda/"):
        assert client.get(path).status_code == 404
    listing = client.get("/events/?when=all").content.decode()
    assert other_event.title not in listing


def test_own_draft_is_visible_to_its_organiser_with_a_draft_notice(client, other_event, other_organiser):
    client.force_login(other_organiser)
    page = client.get(f"/events/{other_event.slug}/").content.decode()
    assert "Draft: only the organisers of this event can see it." in page


@pytest.mark.parametrize(
    "path",
    [
        "/desk/events/{slug}/",
        "/desk/events/{slug}/agenda/",
        "/desk/events/{slug}/agenda/new/",
        "/desk/events/{slug}/agenda/{uid}/",
        "/desk/events/{slug}/agenda/{uid}/delete/",
        "/desk/events/{slug}/cancel/",
    ],
)
def test_organiser_cannot_open_another_events_desk_pages(client, organiser, other_event, other_item, path):
    client.force_login(organiser)
    response = client.get(path.format(slug=other_event.slug, uid=other_item.uid))
    assert response.status_code == 404
    assert b"Confidential session" not in response.content


def test_organiser_cannot_change_publish_or_cancel_another_event(client, organiser, other_event, other_item):
    client.force_login(organiser)
    slug = other_event.slug
    assert client.post(f"/desk/events/{slug}/", {"title": "Hijacked"}).status_code == 404
    assert client.post(f"/desk/events/{slug}/publish/").status_code == 404
    assert client.post(f"/desk/events/{slug}/cancel/").status_code == 404
    assert client.post(f"/desk/events/{slug}/agenda/publish/").status_code == 404
    assert client.post(f"/desk/events/{slug}/agenda/{other_item.uid}/delete/").status_code == 404
    assert client.post(f"/desk/events/{slug}/agenda/{other_item.uid}/", {"title": "Changed"}).status_code == 404
    other_event.refresh_from_db()
    assert other_event.title != "Hijacked"
    assert other_event.status == Event.Status.DRAFT
    assert other_event.agenda_versions.count() == 0
    assert AgendaItem.objects.get(pk=other_item.pk).title == "Confidential session"


def test_item_of_another_event_cannot_be_reached_through_own_event(client, organiser, event, other_item):
    client.force_login(organiser)
    response = client.post(f"/desk/events/{event.slug}/agenda/{other_item.uid}/delete/")
    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=other_item.pk).exists()


def test_desk_lists_only_own_events(client, organiser, event, other_event):
    client.force_login(organiser)
    page = client.get("/desk/").content.decode()
    assert event.title in page and other_event.title not in page


def test_staff_see_and_manage_every_event(client, other_event, other_item):
    staff = make_user("staff@example.org", staff=True)
    client.force_login(staff)
    assert client.get(f"/events/{other_event.slug}/").status_code == 200
    response = client.post(f"/desk/events/{other_event.slug}/publish/")
    assert response.status_code == 302
    other_event.refresh_from_db()
    assert other_event.status == Event.Status.PUBLISHED


def test_anonymous_visitors_are_sent_to_sign_in_for_the_desk(client, event):
    response = client.get(f"/desk/events/{event.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_creating_events_needs_the_organiser_permission(client, organiser):
    client.force_login(organiser)
    response = client.get("/desk/events/new/")
    assert response.status_code == 403
    assert b"You cannot do that here" in response.content


def test_unpublished_agenda_changes_of_a_published_event_are_hidden(client, event, organiser):
    add_item(event, "Published session", datetime(2031, 3, 3, 9, 0))
    services.publish_agenda(event, actor=organiser)
    add_item(event, "Draft-only session", datetime(2031, 3, 3, 10, 0))
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert "Published session" in page and "Draft-only session" not in page
    client.force_login(organiser)
    desk = client.get(f"/desk/events/{event.slug}/agenda/").content.decode()
    assert "Added:</strong> Draft-only session" in desk
