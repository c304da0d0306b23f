"""The registrations desk in a real browser: ticking rows (one by one and
"select all on this page"), approving them in bulk with one reason past the
full-event warning, then seating a chosen waitlisted person above capacity.
Every step screenshotted and axe-checked, under the site's CSP."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audit.models import LogEntry
from registrations import services
from registrations.models import Registration

from ..factories import make_event, make_user, make_venue
from .test_security_policy import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full_workshop():
    """An Auckland workshop of 3 seats, 1 taken, and 4 delegates waiting for
    approval: approving all 4 does not fit."""
    organiser = make_user("organiser@ipeg.example", full_name="Olivia Organiser")
    venue = make_venue(zone="Pacific/Auckland", city="Auckland")
    day = timezone.now().date() + timedelta(days=45)
    event = make_event(
        "design-workshop-auckland",
        title="Industrial Design Workshop, Auckland",
        venue=venue,
        starts_at=datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(venue.timezone)),
        capacity=3,
        approval_required_for=["delegate"],
        organisers=[organiser],
    )
    speaker = make_user("speaker@ipeg.example", full_name="Sione Speaker")
    services.register(event, speaker, participation_type="speaker")
    names = ["Aisyah Ismail", "Bruno Baptista", "Chen Wei", "Dana Domínguez"]
    applicants = [
        services.register(event, make_user(f"delegate{n}@ipeg.example", full_name=name, economy="MY"))
        for n, name in enumerate(names)
    ]
    return event, organiser, applicants


def test_bulk_approval_past_the_full_warning_then_the_override(page, steps, live_server, full_workshop):
    event, organiser, applicants = full_workshop
    sign_in(page, live_server.url, organiser)
    page.goto(f"{live_server.url}/desk/events/{event.slug}/registrations/?status=pending")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registrations")
    # The statuses read as words, in a coloured badge.
    expect(page.locator(".status-pending").first).to_have_text("Pending approval")
    steps.record("pending-list")

    # "Select all on this page" is there (scripts run) and ticks every row.
    select_all = page.get_by_label("Select all on this page")
    select_all.check()
    for applicant in applicants:
        expect(page.get_by_label(f"Tick {applicant.user.display_name}")).to_be_checked()
    page.get_by_label(f"Tick {applicants[3].user.display_name}").uncheck()
    assert page.evaluate("() => document.getElementById('select-all').indeterminate")
    page.get_by_label(f"Tick {applicants[3].user.display_name}").check()
    page.get_by_label("Reason (each participant is told it; needed to move)").fill("Nominated by the economy")
    steps.record("ticked")

    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The event is full")
    expect(page.get_by_role("alert")).to_contain_text("2 seats free for 4 approvals")
    assert Registration.objects.filter(event=event, status="pending").count() == 4  # nothing yet
    steps.record("full-warning")

    page.get_by_role("button", name="Approve anyway").click()
    expect(page.locator(".messages")).to_contain_text("2 approved, 2 waitlisted because the event is full.")
    steps.record("approved")
    statuses = [Registration.objects.get(pk=r.pk).status for r in applicants]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]

    # The second on the waiting list is the one who must be there: seat them above capacity.
    chosen = applicants[3]
    page.goto(f"{live_server.url}/desk/events/{event.slug}/registrations/?status=waitlisted")
    page.get_by_role("link", name=chosen.user.display_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(chosen.user.display_name)
    expect(page.get_by_role("navigation", name="Filtered registrations")).to_contain_text("2 of 2")
    steps.record("waitlisted-person")

    page.get_by_role("button", name="Seat above capacity").click()  # no reason yet
    expect(page.locator(".field-error")).to_be_visible()
    steps.record("override-needs-a-reason")
    page.get_by_label("Why this person gets a seat above capacity").fill("Head of delegation of the host economy")
    page.get_by_role("button", name="Seat above capacity").click()
    expect(page.locator(".messages")).to_contain_text("now confirmed, above capacity")
    expect(page.locator(".facts .status-confirmed")).to_have_text("Confirmed")
    steps.record("seated-above-capacity")

    assert Registration.objects.get(pk=chosen.pk).status == "confirmed"
    assert services.seats_taken(event) == 4 and event.capacity == 3
    entry = LogEntry.objects.get(action="registration.seated_over_capacity")
    assert entry.actor == organiser and entry.reason == "Head of delegation of the host economy"
