"""A delegation from nomination to the List of Participants in a real
browser (issue 15, item 10): Chile's focal point nominates three delegates,
names the Head of Delegation and uploads the nomination letter; the
Secretariat approves; a delegate completes their details; the provisional
List of Participants shows the delegation, the head first. Every step
screenshotted and axe-checked under the site's CSP; no sideways scrolling at
320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from delegations import nominations
from delegations.models import Nomination
from events.models import Event, EventRole
from registrations.models import Registration

from ..factories import make_event, make_user
from .test_desk_layout import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
PDF = b"%PDF-1.4\n% nomination letter of Chile\n%%EOF\n"


@pytest.fixture
def plenary(db):
    owner = make_user("secretariat@apec.example", full_name="Sofia Secretariat")
    starts = timezone.now() + timedelta(days=40)
    event = make_event(
        "ipeg-61", title="61st IPEG Meeting", kind=Event.Kind.IPEG_MEETING, starts_at=starts,
        ends_at=starts + timedelta(hours=8), capacity=80,
    )  # fmt: skip
    EventRole.objects.create(event=event, user=owner, role=EventRole.Role.OWNER)
    focal_point = make_user("focal@inapi.example", full_name="Carla Focal", economy="CL")
    nominations.appoint_focal_point(event, focal_point.email, "CL", actor=owner)
    return {"event": event, "owner": owner, "focal_point": focal_point}


def no_sideways_scroll(page, steps, url, what):
    """No sideways scrolling at 320 px; the page recorded as a phone shows it."""
    page.set_viewport_size({"width": 320, "height": 740})
    page.goto(url)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{what} scrolls sideways at 320 px"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    steps.record(f"{what.replace(' ', '-')}-390px")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_focal_point_nominates_the_secretariat_approves_and_the_list_shows_the_head_first(
    live_server, page, steps, plenary, tmp_path
):
    base, event = live_server.url, plenary["event"]
    sign_in(page, base, plenary["focal_point"])
    page.goto(f"{base}/delegations/")
    steps.record("my-delegations")
    page.get_by_role("link", name="61st IPEG Meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chile: delegation to 61st IPEG Meeting")
    steps.record("delegation-empty")

    for name, email in (
        ("Ana Rojas", "ana.rojas@inapi.example"),
        ("Bruno Diaz", "bruno.diaz@inapi.example"),
        ("Camila Soto", "camila.soto@inapi.example"),
    ):
        page.get_by_label("Full name").fill(name)
        page.get_by_label("E-mail address").fill(email)
        page.get_by_role("button", name="Nominate", exact=True).click()
        expect(page.locator(".message-success")).to_contain_text(f"{name} is nominated")
    expect(page.locator(".delegation-quota")).to_contain_text("3 of 5")
    steps.record("three-nominated")

    page.locator("tr", has_text="Camila Soto").get_by_role("button", name="Make Head of Delegation").click()
    expect(page.locator(".message-success")).to_contain_text("Camila Soto is Head of Delegation")
    # The head is listed first.
    expect(page.locator(".delegation-list tbody tr").first).to_contain_text("Camila Soto")

    page.get_by_label("E-mail address").fill("")
    letter = tmp_path / "letter.docx"
    letter.write_bytes(b"PK\x03\x04 not a pdf")
    page.get_by_label("Nomination letter (PDF)").set_input_files(str(letter))
    page.get_by_role("button", name="Upload the letter").click()
    expect(page.locator(".field-error")).to_contain_text("The nomination letter must be a PDF file (.pdf).")
    steps.record("letter-refused")
    letter = tmp_path / "nomination.pdf"
    letter.write_bytes(PDF)
    page.get_by_label("Nomination letter (PDF)").set_input_files(str(letter))
    page.get_by_role("button", name="Upload the letter").click()
    expect(page.locator(".message-success")).to_contain_text("The nomination letter is uploaded")
    expect(page.get_by_role("link", name="Nomination letter (PDF")).to_be_visible()
    steps.record("letter-uploaded")
    no_sideways_scroll(page, steps, page.url, "the focal point's page")

    # The Secretariat approves each delegate on the desk.
    sign_in(page, base, plenary["owner"])
    page.goto(f"{base}/desk/events/{event.slug}/delegations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delegations: 61st IPEG Meeting")
    steps.record("desk-delegations")
    row = page.locator("#economy-CL ~ table tr", has_text="Ana Rojas")
    row.get_by_role("button", name="Pre-approve").click()
    expect(page.locator(".message-success")).to_contain_text("Ana Rojas: pre-approved")
    for name in ("Camila Soto", "Ana Rojas", "Bruno Diaz"):
        page.get_by_role("button", name=f"Approve {name}", exact=True).click()
        expect(page.locator(".message-success")).to_contain_text(f"{name}: approved")
    steps.record("desk-approved")
    no_sideways_scroll(page, steps, f"{base}/desk/events/{event.slug}/delegations/", "the desk page")
    assert set(Nomination.objects.values_list("state", flat=True)) == {"approved"}

    # A delegate completes their own details.
    ana = Registration.objects.get(user__email="ana.rojas@inapi.example")
    sign_in(page, base, ana.user)
    page.goto(f"{base}/registrations/{ana.uid}/")
    expect(page.get_by_role("heading", name="Your nomination")).to_be_visible()
    page.get_by_role("link", name="Complete or change your details").click()
    no_sideways_scroll(page, steps, page.url, "the details page")
    page.get_by_label("Dietary needs").fill("Vegetarian")
    page.get_by_label("Organisation").fill("INAPI")
    steps.record("details-form")
    page.get_by_role("button", name="Save my details").click()
    expect(page.locator(".message-success")).to_contain_text("Your details are saved")
    ana.refresh_from_db()
    assert (ana.dietary_needs, ana.organisation) == ("Vegetarian", "INAPI")

    # The provisional List of Participants: Chile, its head first, in order.
    sign_in(page, base, plenary["owner"])
    page.goto(f"{base}/desk/events/{event.slug}/list-of-participants/")
    chile = page.locator("h3", has_text="Chile").locator("xpath=following-sibling::ul[1]/li")
    expect(chile).to_have_count(3)
    expect(chile.nth(0)).to_contain_text("Camila Soto (Head of Delegation)")
    expect(chile.nth(1)).to_contain_text("Ana Rojas")
    expect(chile.nth(2)).to_contain_text("Bruno Diaz")
    steps.record("provisional-list")
