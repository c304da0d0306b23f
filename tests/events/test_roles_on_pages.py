"""Each role sees only the desk controls it may use, and documents for
organisers only are for owners and organisers (and staff): check-in staff and
viewers read what registered participants read. One rule decides both: the
roles desk/permissions.py lets organise are ``EventRole.ORGANISING``, which
``Event.objects.organised_by`` reads."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from desk import permissions
from events import services as event_services
from events.document_queries import levels_for
from events.models import Event, EventRole, MeetingDocument
from registrations import services as registrations

from ..factories import add_item, make_user

pytestmark = pytest.mark.django_db

Role = EventRole.Role
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALL = ["public", "registered", "organisers"]
REGISTERED = ["public", "registered"]


@pytest.fixture
def team(event, organiser):
    """The event's team, one person per role (the organiser fixture is an organiser)."""
    people = {Role.ORGANISER: organiser}
    for role in (Role.OWNER, Role.CHECK_IN, Role.VIEWER):
        people[role] = make_user(f"{role}@example.org", full_name=f"Team {role}")
        EventRole.objects.create(event=event, user=people[role], role=role)
    return people


def test_only_owners_and_organisers_organise_in_both_apps(event, team):
    organising = {role for role, allowed in permissions.ALLOWS.items() if permissions.ORGANISE in allowed}
    assert organising == set(EventRole.ORGANISING) == {Role.OWNER, Role.ORGANISER}
    organised = {role for role, user in team.items() if Event.objects.organised_by(user).filter(pk=event.pk).exists()}
    assert organised == organising
    assert {role for role, user in team.items() if Event.objects.managed_by(user).filter(pk=event.pk).exists()} == set(
        Role.values
    )
    staff = make_user("staff@example.org", staff=True)
    assert Event.objects.organised_by(staff).filter(pk=event.pk).exists()
    assert not Event.objects.organised_by(make_user("outsider@example.org")).exists()


def test_documents_for_organisers_only_are_for_owners_organisers_and_staff(client, event, team):
    for access in ALL:
        event_services.add_document(
            event, f"Paper for {access}", SimpleUploadedFile(f"{access}.pdf", PDF), "application/pdf", access,
            actor=team[Role.OWNER],
        )  # fmt: skip
    participant = make_user("delegate@example.org")
    registrations.register(event, participant)
    expected = {
        team[Role.OWNER]: ALL,
        team[Role.ORGANISER]: ALL,
        make_user("staff@example.org", staff=True): ALL,
        team[Role.CHECK_IN]: REGISTERED,
        team[Role.VIEWER]: REGISTERED,
        participant: REGISTERED,
        make_user("outsider@example.org"): ["public"],
    }
    assert {user.email: levels_for(user, event) for user in expected} == {
        user.email: levels for user, levels in expected.items()
    }

    secret = MeetingDocument.objects.get(access="organisers")
    for role, status in ((Role.VIEWER, 404), (Role.CHECK_IN, 404), (Role.ORGANISER, 200)):
        client.force_login(team[role])
        assert client.get(f"/events/{event.slug}/documents/{secret.pk}/download/").status_code == status, role

    # The desk's documents page lists for a viewer what they may download,
    # with no upload form and no Replace links; an organiser's lists all.
    client.force_login(team[Role.VIEWER])
    page = client.get(f"/desk/events/{event.slug}/documents/").content.decode()
    assert "Paper for registered" in page and "Paper for organisers" not in page
    assert 'enctype="multipart/form-data"' not in page and "/replace/" not in page
    client.force_login(team[Role.ORGANISER])
    page = client.get(f"/desk/events/{event.slug}/documents/").content.decode()
    assert "Paper for organisers" in page and 'enctype="multipart/form-data"' in page and "/replace/" in page


def test_a_viewer_reads_the_registrations_list_without_controls_an_organiser_has(client, event, team):
    registration = registrations.register(event, make_user("delegate@example.org", full_name="Aiko Tanaka"))
    url = f"/desk/events/{event.slug}/registrations/"
    bulk = f'action="/desk/events/{event.slug}/registrations/bulk/"'
    controls = (
        bulk,
        f'action="/desk/events/{event.slug}/registrations/capacity/"',
        f'href="/desk/events/{event.slug}/registrations.csv',
        'name="registration"',
        f'href="/desk/events/{event.slug}/registrations/{registration.uid}/',
    )

    client.force_login(team[Role.VIEWER])
    page = client.get(url).content.decode()
    assert "Aiko Tanaka" in page and "Public list (PDF" in page
    assert [control for control in controls if control in page] == []
    assert "With the ticked registrations" not in page

    client.force_login(team[Role.ORGANISER])
    page = client.get(url).content.decode()
    assert [control for control in controls if control not in page] == []
    assert "With the ticked registrations" in page


def test_the_check_in_page_links_only_what_the_role_opens(client, event, team):
    url = f"/desk/events/{event.slug}/checkin/"
    registrations_link = f'href="/desk/events/{event.slug}/registrations/"'

    client.force_login(team[Role.CHECK_IN])
    page = client.get(url).content.decode()
    assert registrations_link not in page and 'href="/desk/"' in page
    assert client.get(f"/desk/events/{event.slug}/registrations/").status_code == 403

    client.force_login(team[Role.ORGANISER])
    assert registrations_link in client.get(url).content.decode()


def test_a_viewer_reads_the_draft_agenda_without_edit_controls(client, event, team):
    item = add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    url = f"/desk/events/{event.slug}/agenda/"
    controls = (
        f'href="/desk/events/{event.slug}/agenda/new/"',
        f'action="/desk/events/{event.slug}/agenda/publish/"',
        f'href="/desk/events/{event.slug}/agenda/{item.uid}/"',
        f'href="/desk/events/{event.slug}/agenda/{item.uid}/delete/"',
    )
    client.force_login(team[Role.VIEWER])
    page = client.get(url).content.decode()
    assert "Opening" in page and [control for control in controls if control in page] == []
    client.force_login(team[Role.ORGANISER])
    page = client.get(url).content.decode()
    assert [control for control in controls if control not in page] == []


def test_a_viewer_reads_the_event_details_without_save_publish_or_cancel(client, event, team):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    url = f"/desk/events/{event.slug}/"
    controls = (
        "Save event",
        f'action="/desk/events/{event.slug}/publish/"',
        f'href="/desk/events/{event.slug}/cancel/"',
    )
    client.force_login(team[Role.VIEWER])
    page = client.get(url).content.decode()
    assert event.title in page and [control for control in controls if control in page] == []
    assert 'name="title"' in page and "disabled" in page  # the details are there to read
    client.force_login(team[Role.ORGANISER])
    page = client.get(url).content.decode()
    assert [control for control in controls if control not in page] == []
