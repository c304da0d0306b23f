"""Funded travellers in a real browser: the traveller uploads a boarding
pass with the file picker and submits the claim on a phone; the organiser's
travel funding and claim pages and the Secretariat's list of travel-eligible
economies at 320, 390 and 1366 px, without sideways scrolling and with no
serious or critical axe-core finding, also with a form sent back invalid."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events import services as event_services
from registrations.models import Registration
from travel import services
from travel.models import FundedTraveller

from ..factories import add_item, make_event, make_user, make_venue
from .test_desk_layout import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
PDF = b"%PDF-1.4\n% e-ticket\n%%EOF\n"


@pytest.fixture
def travel_world(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.set_eligibility({"CL", "PE", "MY", "PG", "VN"}, actor=None)
    organiser = make_user("organiser@example.org", full_name="Ora Organiser")
    staff = make_user("secretariat@example.org", staff=True, full_name="Sam Secretariat")
    now = timezone.now().replace(second=0, microsecond=0)
    event = make_event(
        "design-workshop-penang",
        title="Industrial Design Workshop, Penang",
        venue=make_venue("Asia/Kuala_Lumpur", "Penang"),
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=2),
        organisers=[organiser],
    )
    start = event.starts_at.astimezone(event.tz).replace(tzinfo=None)
    add_item(event, "Design protection across APEC economies", start, kind="presentation")
    add_item(event, "Panel: examining industrial designs", start + timedelta(hours=1), kind="panel")
    event_services.publish_agenda(event, actor=organiser, note="Final")
    people = {}
    for economy, name in [("CL", "Carla Fuentes Valenzuela"), ("PE", "Pedro Quispe"), ("PG", "Kila Namaliu"),
                          ("VN", "Nguyen Thi Lan")]:  # fmt: skip
        user = make_user(f"{economy.lower()}@example.org", full_name=name, economy=economy)
        people[economy] = Registration.objects.create(
            event=event, user=user, status="attended", economy=economy, queued_at=now, checked_in_at=now
        )
    travellers = [services.fund(people[code], "apec_participant", actor=organiser) for code in ("CL", "PE", "PG")]
    for kind in ("e_ticket", "boarding_pass"):
        services.add_document(
            travellers[1], kind, SimpleUploadedFile(f"{kind}.pdf", PDF), "application/pdf", f"{kind}.pdf", actor=None
        )
    services.submit_claim(travellers[1], actor=None)
    return {"organiser": organiser, "staff": staff, "event": event, "travellers": travellers}


def test_a_traveller_uploads_a_boarding_pass_and_submits_the_claim_on_a_phone(
    live_server, page, steps, travel_world, tmp_path
):
    traveller = travel_world["travellers"][0]
    sign_in(page, live_server.url, traveller.registration.user)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/registrations/{traveller.registration.uid}/")
    assert page.get_by_text("APEC funds your travel as an APEC-funded participant").is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    steps.record("registration-320px")
    page.get_by_role("link", name="Send your claim documents").click()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    steps.record("claim-320px")

    page.get_by_label("File").set_input_files(
        files=[{"name": "not-a-scan.pdf", "mimeType": "application/pdf", "buffer": b"<html>"}]
    )
    page.get_by_role("button", name="Upload").click()
    assert page.get_by_text("This file is not a PDF, JPEG or PNG file").is_visible()
    steps.record("claim-bad-file-320px")

    for kind, name in (("E-ticket", "e-ticket.pdf"), ("Boarding pass", "SCL-KUL boarding pass.pdf")):
        page.locator("#id_kind").select_option(label=kind)
        page.get_by_label("File").set_input_files(files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}])
        page.get_by_role("button", name="Upload").click()
    assert page.get_by_role("link", name="SCL-KUL_boarding_pass.pdf").is_visible()
    remove = page.get_by_role("button", name="Remove SCL-KUL_boarding_pass.pdf")
    assert remove.is_visible()
    # In the link colour: a plain button's white text would vanish on the page.
    assert remove.evaluate("button => getComputedStyle(button).color") == "rgb(0, 68, 124)"
    page.set_viewport_size({"width": 390, "height": 844})
    steps.record("claim-two-documents-390px")
    page.get_by_role("button", name="Submit my claim").click()
    assert page.get_by_text("Your claim is submitted.").is_visible()
    steps.record("claim-submitted-390px")
    traveller.refresh_from_db()
    assert traveller.claim_state == FundedTraveller.Claim.SUBMITTED


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_the_desk_travel_pages_reflow_and_pass_axe(live_server, page, steps, travel_world, width):
    event, submitted = travel_world["event"], travel_world["travellers"][1]
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, travel_world["organiser"])
    base = f"{live_server.url}/desk/events/{event.slug}/travel/"
    page.goto(base)
    assert page.get_by_text("0 of 2 sessions (0% of the time); checked in at the venue").count() == 3
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"the travel page scrolls sideways at {width} px"
    steps.record(f"travel-{width}px")
    page.get_by_label("Per-diem days").fill("-3")
    page.get_by_role("button", name="Fund").click()
    assert page.get_by_text("Ensure this value is greater than or equal to 0.").is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    steps.record(f"travel-fund-errors-{width}px")

    page.goto(f"{base}{submitted.pk}/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"the claim page scrolls sideways at {width} px"
    steps.record(f"claim-{width}px")
    page.get_by_label("Return it for changes").check()
    page.get_by_role("button", name="Save the decision").click()
    assert page.get_by_text("Say what the traveller must change").is_visible()
    steps.record(f"claim-decision-errors-{width}px")

    sign_in(page, live_server.url, travel_world["staff"])
    page.goto(f"{live_server.url}/desk/travel-eligibility/")
    assert page.get_by_label("Papua New Guinea").is_checked()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    steps.record(f"eligibility-{width}px")
