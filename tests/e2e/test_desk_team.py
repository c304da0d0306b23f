"""Setting up an event on the desk in a real browser, with no Django admin: a
new venue (a wrong time zone first, shown as a form error; then one from the
zone list), the event, of which the creator becomes owner, and a co-organiser
invited by e-mail who accepts the mail's link. Every step screenshotted and
axe-checked, under the site's CSP."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from playwright.sync_api import expect

from events.models import EventRole, Venue

from ..factories import make_user
from .test_security_policy import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def creator():
    user = make_user("host@ipeg.example", full_name="Hana Host")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_event", "add_speaker", "add_venue", "add_meetingcluster"])
    )
    return user


def test_create_a_venue_and_an_event_and_invite_a_co_organiser(page, steps, live_server, creator):
    base = live_server.url
    sign_in(page, base, creator)
    page.goto(f"{base}/desk/")
    steps.record("desk-home")

    page.get_by_role("link", name="New venue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New venue")
    # The zone list offers each zone with its offset.
    label = page.locator('#id_timezone-zones option[value="Pacific/Auckland"]').text_content()
    assert re.fullmatch(r"Pacific/Auckland \(UTC\+1[23]\)", label)
    page.get_by_label("Name").fill("Te Pae Christchurch")
    page.get_by_label("City").fill("Christchurch")
    page.get_by_label("Economy").select_option("NZ")
    page.get_by_label("Time zone").fill("Pacific/Christchurch-ish")
    page.get_by_role("button", name="Add venue").click()
    expect(page.locator(".field-error")).to_contain_text("is not an IANA time zone")
    steps.record("venue-zone-error")
    page.get_by_label("Time zone").fill("Pacific/Auckland")
    page.get_by_role("button", name="Add venue").click()
    expect(page.locator(".message-success")).to_contain_text("Te Pae Christchurch")
    steps.record("venue-added")
    venue = Venue.objects.get(name="Te Pae Christchurch")
    assert venue.timezone == "Pacific/Auckland"

    page.get_by_role("link", name="New event").click()
    page.locator("#id_title").fill("Design Law Workshop, Christchurch")
    page.locator("#id_slug").fill("design-law-christchurch")
    page.locator("#id_venue").select_option(str(venue.pk))
    page.locator("#id_starts_at").fill("2031-03-03T09:00")
    page.locator("#id_ends_at").fill("2031-03-03T17:00")
    steps.record("event-form")
    page.get_by_role("button", name="Create draft event").click()
    expect(page.locator(".message-success")).to_contain_text("with you as its owner")
    steps.record("event-created")

    page.get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("team")
    steps.record("team")
    page.get_by_label("E-mail address").fill("co.organiser@ipeg.example")
    page.get_by_label("Role", exact=False).and_(page.locator("#id_role")).select_option("organiser")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".message-success")).to_contain_text("co.organiser@ipeg.example is invited as organiser")
    expect(page.get_by_role("table", name=re.compile("Open invitations"))).to_contain_text("co.organiser@ipeg.example")
    steps.record("invited")

    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == ["co.organiser@ipeg.example"]
    link = re.search(r"/desk/invitations/[^\s/]+/", invitation_mail.body).group(0)

    # The co-organiser, signed out, opens the link: the invitation and the ways in.
    page.context.clear_cookies()
    page.goto(base + link)
    expect(page.get_by_role("link", name="Create an account")).to_be_visible()
    steps.record("invitation-signed-out")
    co_organiser = make_user("co.organiser@ipeg.example", full_name="Cody Colleague")
    sign_in(page, base, co_organiser)
    page.goto(base + link)
    steps.record("invitation-signed-in")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.locator(".message-success")).to_contain_text("You are now organiser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Design Law Workshop, Christchurch")
    steps.record("accepted")
    assert EventRole.objects.get(user=co_organiser).role == EventRole.Role.ORGANISER
    assert EventRole.objects.get(user=creator).role == EventRole.Role.OWNER
