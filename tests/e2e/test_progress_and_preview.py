"""In a real browser: a progress page follows the work through its status URL
(live region and progress bar, no reload) and lands on the file when the
worker finishes; the Messages page counts recipients as the filters change and
previews the mail in a sandboxed frame; both axe-checked, under the CSP."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registrations import documents
from registrations import services as registration_services
from registrations.models import GeneratedDocument

from ..factories import make_event, make_user, make_venue
from .test_security_policy import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workshop(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    organiser = make_user("organiser@ipeg.example", full_name="Olivia Organiser")
    venue = make_venue(zone="Pacific/Auckland", city="Auckland")
    day = timezone.now().date() + timedelta(days=30)
    event = make_event(
        "design-workshop-auckland",
        title="Industrial Design Workshop, Auckland",
        venue=venue,
        starts_at=datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(venue.timezone)),
        capacity=2,
        organisers=[organiser],
    )
    for number, name in enumerate(("Aisyah Ismail", "Tane Walker", "Mei Lin")):
        registration_services.register(event, make_user(f"delegate{number}@example.org", full_name=name))
    return event, organiser


def test_a_progress_page_announces_the_work_and_lands_on_the_file(page, steps, live_server, workshop):
    event, organiser = workshop
    job = GeneratedDocument.objects.create(event=event, kind=GeneratedDocument.Kind.PARTICIPANTS, items=2)
    sign_in(page, live_server.url, organiser)
    page.goto(f"{live_server.url}/desk/events/{event.slug}/files/{job.pk}/")
    region = page.get_by_role("status").filter(has_text="participants")
    expect(region).to_contain_text("Waiting for the worker (2 participants)")
    expect(page.get_by_role("link", name="Check again")).to_be_visible()
    assert page.locator("meta[http-equiv]").count() == 0
    steps.record("queued")

    GeneratedDocument.objects.filter(pk=job.pk).update(status=GeneratedDocument.Status.RUNNING)
    expect(region).to_contain_text("Being typeset (2 participants)")
    steps.record("running")

    # The worker's own function, run here while the page polls.
    download = f"/desk/events/{event.slug}/files/{job.pk}/download/"
    with page.expect_response(lambda response: response.url.endswith(download), timeout=20_000) as file:
        documents.generate(job.pk)
    assert file.value.status == 200 and file.value.headers["content-type"] == "application/pdf"
    page.wait_for_url(f"**{download}")  # the browser shows the PDF itself

    page.go_back()  # the page, now finished, says so and links to the file
    expect(region).to_contain_text("Ready: 2 participants.")
    expect(region.get_by_role("link", name="Download the PDF")).to_have_attribute("href", download)
    expect(page.locator("progress")).to_be_hidden()
    steps.record("ready")


def test_the_messages_page_counts_recipients_live_and_previews_the_mail(page, steps, live_server, workshop):
    event, organiser = workshop
    sign_in(page, live_server.url, organiser)
    page.goto(f"{live_server.url}/desk/events/{event.slug}/messages/")
    count = page.locator("#recipient-count")
    expect(count).to_have_text("These choices select 2 people.")  # confirmed (2) and attended (0)
    page.get_by_label("Waitlisted").check()
    expect(count).to_have_text("These choices select 3 people.")
    expect(page.get_by_role("button", name="Send to 3 people")).to_be_visible()
    steps.record("live-count")

    page.get_by_label("Subject").fill("Shuttle bus")
    page.get_by_label("Message").fill("The bus leaves at 08:00.\n<b>Bring your badge</b>.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: 3 people")).to_be_visible()
    expect(page.locator("pre.mail-text")).to_contain_text("<b>Bring your badge</b>.")
    frame = page.frame_locator("iframe.mail-html")
    expect(frame.locator("body")).to_contain_text("Dear Aisyah Ismail,")
    expect(frame.locator("body")).to_contain_text("<b>Bring your badge</b>.")  # shown as text, not bold
    steps.record("preview")
