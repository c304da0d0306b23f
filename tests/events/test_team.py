"""Per-event roles and the Team page: owners change roles, take people off
the team and invite by e-mail; the invitation works for people without an
account; the last owner stays; check-in staff and viewers get only their
pages (the full role x URL table is tests/security/test_permission_matrix.py)."""

import importlib
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import LogEntry
from events import invitations, organising
from events.models import Event, EventInvitation, EventRole

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
Role = EventRole.Role


@pytest.fixture
def owner(event):
    user = make_user("owner@example.org", full_name="Olive Owner")
    EventRole.objects.create(event=event, user=user, role=Role.OWNER)
    return user


def role_of(event, user):
    return EventRole.objects.filter(event=event, user=user).values_list("role", flat=True).first()


def invite_by_post(client, event, email, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/desk/events/{event.slug}/team/", {"email": email, "role": role})
    assert response.status_code == 302, response.content.decode()[:2000]
    return mail.outbox[-1]


def link_in(message):
    return re.search(r"http://[^\s]+/desk/invitations/[^\s/]+/", message.body).group(0).split("testserver", 1)[-1]


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_the_team_page_shows_roles_to_owners_only(client, event, owner, organiser):
    client.force_login(owner)
    html = client.get(f"/desk/events/{event.slug}/team/").content.decode()
    assert "Olive Owner" in html and "organiser-a@example.org" in html
    assert f'href="/desk/events/{event.slug}/team/"' in client.get(f"/desk/events/{event.slug}/").content.decode()
    client.force_login(organiser)
    assert client.get(f"/desk/events/{event.slug}/team/").status_code == 403
    assert "/team/" not in client.get(f"/desk/events/{event.slug}/").content.decode()


def test_an_owner_changes_a_role_and_removes_someone(client, event, owner, organiser):
    client.force_login(owner)
    membership = EventRole.objects.get(event=event, user=organiser)
    client.post(f"/desk/events/{event.slug}/team/{membership.pk}/role/", {"role": Role.VIEWER})
    assert role_of(event, organiser) == Role.VIEWER
    entry = LogEntry.objects.get(action="team.role_changed")
    assert (entry.actor, entry.before, entry.after) == (owner, {"role": "organiser"}, {"role": "viewer"})
    client.post(f"/desk/events/{event.slug}/team/{membership.pk}/remove/")
    assert role_of(event, organiser) is None
    assert organiser.pk in get_user_model().objects.values_list("pk", flat=True)  # the account stays
    assert LogEntry.objects.filter(action="team.removed").exists()


def test_an_unknown_role_is_refused(client, event, owner, organiser):
    client.force_login(owner)
    membership = EventRole.objects.get(event=event, user=organiser)
    response = client.post(f"/desk/events/{event.slug}/team/{membership.pk}/role/", {"role": "king"}, follow=True)
    assert "Choose one of the roles" in response.content.decode()
    assert role_of(event, organiser) == Role.ORGANISER


def test_the_last_owner_cannot_be_removed_or_demoted(client, event, owner, organiser):
    client.force_login(owner)
    mine = EventRole.objects.get(event=event, user=owner)
    response = client.post(f"/desk/events/{event.slug}/team/{mine.pk}/remove/", follow=True)
    assert "the only owner of this event" in response.content.decode()
    response = client.post(f"/desk/events/{event.slug}/team/{mine.pk}/role/", {"role": Role.VIEWER}, follow=True)
    assert "the only owner of this event" in response.content.decode()
    assert role_of(event, owner) == Role.OWNER
    # With a second owner, the first may step down.
    organising.set_role(EventRole.objects.get(event=event, user=organiser), Role.OWNER, actor=owner)
    client.post(f"/desk/events/{event.slug}/team/{mine.pk}/role/", {"role": Role.ORGANISER})
    assert role_of(event, owner) == Role.ORGANISER
    with pytest.raises(organising.LastOwner):
        organising.remove_member(EventRole.objects.get(event=event, user=organiser), actor=None)


def test_invitation_for_someone_without_an_account(client, event, owner, django_capture_on_commit_callbacks):
    client.force_login(owner)
    message = invite_by_post(
        client, event, "New.Person@Example.org", Role.ORGANISER, django_capture_on_commit_callbacks
    )
    assert message.to == ["new.person@example.org"]
    assert message.subject == f"Invitation: Organiser of {event.title}"
    assert "Olive Owner invites you" in message.body and "as organiser" in message.body
    html = message.alternatives[0][0]
    assert "Accept the invitation" in html
    invitation = EventInvitation.objects.get()
    assert invitation.mailed_at is not None and invitation.invited_by == owner
    url = path_of(link_in(message))

    # Not signed in: the invitation and the ways to sign in or sign up.
    client.logout()
    page = client.get(url).content.decode()
    assert "invites <strong>new.person@example.org</strong>" in page
    assert f'href="/accounts/signup/?next={url.replace(":", "%3A").replace("/", "%2F")}"' in page
    assert client.post(url, {"confirm": "on"}).status_code == 200  # nothing granted to nobody

    # Sign up with the invited address, verify it, come back: accepted without a question.
    newcomer = make_user("new.person@example.org", full_name="Nia Newcomer")
    client.force_login(newcomer)
    page = client.get(url).content.decode()
    assert "the invited address" in page and 'name="confirm"' not in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/desk/events/{event.slug}/"
    assert role_of(event, newcomer) == Role.ORGANISER
    assert newcomer.is_organiser
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None
    # A link is used once.
    again = client.get(url)
    assert again.status_code == 410 and "already used or withdrawn" in again.content.decode()


def test_invitation_accepted_by_a_signed_in_account_with_another_address(
    client, event, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    message = invite_by_post(client, event, "work@example.org", Role.CHECK_IN, django_capture_on_commit_callbacks)
    url = path_of(link_in(message))
    existing = make_user("home@example.org", full_name="Hana Home")
    client.force_login(existing)
    page = client.get(url).content.decode()
    assert "sent to work@example.org; you are signed in as home@example.org" in page
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    assert role_of(event, existing) is None
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/desk/events/{event.slug}/checkin/"
    assert role_of(event, existing) == Role.CHECK_IN


def test_an_unverified_address_is_no_proof(client, event, owner):
    invitation = organising.invite(event, "unverified@example.org", Role.VIEWER, actor=owner)
    user = make_user("unverified@example.org", verified=False)
    client.force_login(user)
    response = client.post(path_of(invitations.accept_url(invitation)), {})
    assert response.status_code == 400 and role_of(event, user) is None


def test_an_owner_stays_an_owner_when_accepting_a_smaller_role(client, event, owner):
    invitation = organising.invite(event, "elsewhere@example.org", Role.VIEWER, actor=None)
    client.force_login(owner)
    client.post(path_of(invitations.accept_url(invitation)), {"confirm": "on"})
    assert role_of(event, owner) == Role.OWNER


def test_someone_on_the_team_is_not_invited_again(client, event, owner, organiser):
    client.force_login(owner)
    response = client.post(f"/desk/events/{event.slug}/team/", {"email": organiser.email, "role": Role.VIEWER})
    assert response.status_code == 400
    assert "already on the team as organiser" in response.content.decode()
    assert not EventInvitation.objects.exists()


def test_inviting_again_renews_the_invitation_and_retires_the_old_link(client, event, owner):
    first = organising.invite(event, "twice@example.org", Role.VIEWER, actor=owner)
    old_url = path_of(invitations.accept_url(first))
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(seconds=5)):
        second = organising.invite(event, "twice@example.org", Role.ORGANISER, actor=owner)
    assert second.pk == first.pk and EventInvitation.objects.count() == 1
    client.force_login(owner)
    assert client.get(old_url).status_code == 410
    assert client.get(path_of(invitations.accept_url(second))).status_code == 200


def invited_at(moment, event, email, role):
    """An invitation made (and its link signed) at ``moment``."""
    with (
        mock.patch("time.time", return_value=moment.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=moment),
    ):
        invitation = organising.invite(event, email, role, actor=None)
        return invitation, path_of(invitations.accept_url(invitation))


def test_an_expired_link_is_refused_with_a_clear_page(client, event, owner):
    late = make_user("late@example.org")
    client.force_login(late)
    _, url = invited_at(
        timezone.now() - invitations.INVITATION_MAX_AGE - timedelta(minutes=1), event, late.email, Role.ORGANISER
    )
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 410
    page = response.content.decode()
    assert "This invitation has expired" in page and "Nothing was changed" in page
    assert role_of(event, late) is None
    # Sent again, a day before the end it still works.
    _, url = invited_at(
        timezone.now() - invitations.INVITATION_MAX_AGE + timedelta(days=1), event, late.email, Role.ORGANISER
    )
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert role_of(event, late) == Role.ORGANISER


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: token[:10],  # cut short
        lambda token: "x" + token,  # the data
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_refused_with_a_clear_page(client, event, owner, tamper):
    invitation = organising.invite(event, "victim@example.org", Role.OWNER, actor=owner)
    token = invitations.token_for(invitation)
    client.force_login(make_user("attacker@example.org"))
    response = client.post(f"/desk/invitations/{tamper(token)}/", {"confirm": "on"})
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
    assert EventRole.objects.filter(event=event, role=Role.OWNER).count() == 1


def test_a_withdrawn_invitation_no_longer_works(client, event, owner):
    invitation = organising.invite(event, "withdrawn@example.org", Role.ORGANISER, actor=owner)
    client.force_login(owner)
    client.post(f"/desk/events/{event.slug}/team/invitations/{invitation.pk}/withdraw/")
    assert client.get(path_of(invitations.accept_url(invitation))).status_code == 410


def test_a_rolled_back_invitation_mails_nobody(event, owner, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        organising.invite(event, "never@example.org", Role.VIEWER, actor=owner)
        raise RuntimeError
    assert mail.outbox == [] and not EventInvitation.objects.exists()


def test_the_invitation_is_mailed_once(event, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = organising.invite(event, "once@example.org", Role.VIEWER, actor=owner)
    assert invitations.send(invitation.pk) is False
    assert len(mail.outbox) == 1


@pytest.fixture
def staffed(event):
    checkin = make_user("door@example.org", full_name="Dora Door")
    viewer = make_user("viewer@example.org", full_name="Vera Viewer")
    EventRole.objects.create(event=event, user=checkin, role=Role.CHECK_IN)
    EventRole.objects.create(event=event, user=viewer, role=Role.VIEWER)
    return checkin, viewer


def test_check_in_staff_can_check_in_but_not_open_registrations(client, event, staffed):
    from registrations import services

    checkin, _ = staffed
    participant = make_user("delegate@example.org", full_name="Dan Delegate")
    registration = services.register(event, participant)
    client.force_login(checkin)
    desk = client.get("/desk/").content.decode()
    assert f'href="/desk/events/{event.slug}/checkin/"' in desk and "(check-in staff)" in desk
    assert f'href="/desk/events/{event.slug}/agenda/"' not in desk
    page = client.get(f"/desk/events/{event.slug}/checkin/?q=Dan").content.decode()
    assert "Dan Delegate" in page
    client.post(f"/desk/events/{event.slug}/checkin/{registration.checkin_code}/")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    for url in ("registrations/", f"registrations/{registration.uid}/", "registrations.csv", "", "agenda/", "team/"):
        assert client.get(f"/desk/events/{event.slug}/{url}").status_code == 403, url


def test_a_viewer_reads_the_desk_and_every_post_is_refused(client, event, staffed):
    from registrations import services

    _, viewer = staffed
    registration = services.register(event, make_user("delegate@example.org", full_name="Dan Delegate"))
    client.force_login(viewer)
    for url in ("", "agenda/", "registrations/", "messages/", "documents/"):
        assert client.get(f"/desk/events/{event.slug}/{url}").status_code == 200, url
    for url in (f"registrations/{registration.uid}/", "registrations.csv", "participants.pdf", "checkin/", "team/"):
        assert client.get(f"/desk/events/{event.slug}/{url}").status_code == 403, url
    for url in ("", "publish/", "cancel/", "agenda/new/", "registrations/capacity/", "messages/", "documents/"):
        response = client.post(f"/desk/events/{event.slug}/{url}", {"capacity": "1", "title": "X"})
        assert response.status_code == 403, url
    event.refresh_from_db()
    assert (event.title, event.capacity, event.status) != ("X", 1, Event.Status.CANCELLED)
    assert event.title != "X" and event.capacity is None


def test_every_role_is_a_desk_user_and_must_use_two_factor(event, staffed):
    for user in staffed:
        user = get_user_model().objects.get(pk=user.pk)
        assert user.is_organiser
        assert list(Event.objects.managed_by(user)) == [event]
    outsider = make_user("outsider@example.org")
    assert not outsider.is_organiser and not Event.objects.managed_by(outsider).exists()


def test_sign_in_with_password_then_accept(client, event, owner):
    invitation = organising.invite(event, "returning@example.org", Role.ORGANISER, actor=owner)
    url = path_of(invitations.accept_url(invitation))
    make_user("returning@example.org")
    response = client.post(f"/accounts/login/?next={url}", {"login": "returning@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == url
    assert client.post(url).status_code == 302
    assert EventRole.objects.get(event=event, user__email="returning@example.org").role == Role.ORGANISER


MIGRATION = ("events", "0004_event_roles")
migration_module = importlib.import_module("events.migrations.0004_event_roles")


@pytest.mark.django_db(transaction=True)
def test_organisers_from_before_roles_become_owners():
    user = make_user("early-organiser@example.org")
    executor = MigrationExecutor(connection)
    executor.migrate([("events", "0003_rendered_list")])
    apps = executor.loader.project_state([("events", "0003_rendered_list")]).apps
    old_venue = apps.get_model("events", "Venue").objects.create(name="V", city="C", economy="NZ", timezone="UTC")
    old_event = apps.get_model("events", "Event").objects.create(
        slug="early",
        title="Early",
        venue=old_venue,
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    old_event.organisers.add(user.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    role = EventRole.objects.get(event__slug="early")
    assert (role.user_id, role.role) == (user.pk, Role.OWNER)
    assert list(Event.objects.managed_by(user).values_list("slug", flat=True)) == ["early"]
