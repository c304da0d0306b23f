import pytest

from registrations import documents, services
from registrations.checkin import checkin_url, qr_data_uri

from .test_programme import page_count, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(workshop, people):
    users = people(4)
    users[0].profile.full_name = "Aisyah <b>Ismail</b>"
    users[0].profile.title = "Ms"
    users[0].profile.save()
    services.register(workshop, users[0], economy="MY", organisation="MyIPO", share_in_public_list=True)
    services.register(workshop, users[1], economy="NZ", organisation="IPONZ", share_in_public_list=False)
    services.register(workshop, users[2], economy="NZ", organisation="MBIE", share_in_public_list=True)  # waitlisted
    return users


@pytest.fixture
def workshop(db, organiser):
    from datetime import timedelta

    from django.utils import timezone

    from ..factories import make_event, make_venue

    now = timezone.now().replace(second=0, microsecond=0)
    return make_event(
        "design-workshop", venue=make_venue("Pacific/Auckland", "Auckland"), capacity=2,
        starts_at=now + timedelta(days=40), ends_at=now + timedelta(days=40, hours=7), organisers=[organiser],
    )  # fmt: skip


@pytest.fixture
def people(db):
    from ..factories import make_user

    def make(count):
        return [make_user(f"delegate{n}@example.org", full_name=f"Delegate {n}") for n in range(count)]

    return make


def test_organiser_list_groups_seated_people_by_economy(client, organiser, workshop, filled, tmp_path):
    client.force_login(organiser)
    response = client.get(f"/desk/events/{workshop.slug}/participants.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "List of participants — for organisers only · 2 participants" in text
    assert text.index("Malaysia") < text.index("New Zealand")
    assert "Ms Aisyah <b>Ismail</b>" in text  # escaped: printed as typed
    assert "delegate1@example.org" in text and "IPONZ" in text
    assert "MBIE" not in text  # waitlisted people hold no seat
    assert page_count(response.content, tmp_path) == 1


def test_public_list_shows_only_those_who_agreed_and_no_contact_details(client, workshop, filled, tmp_path):
    response = client.get(f"/events/{workshop.slug}/participants.pdf")
    text = pdf_text(response.content, tmp_path)
    assert "Aisyah" in text and "MyIPO" in text
    assert "IPONZ" not in text and "Delegate 1" not in text
    assert "@example.org" not in text and "for organisers only" not in text


def test_only_organisers_of_the_event_get_the_full_list(client, other_organiser, workshop, filled):
    client.force_login(other_organiser)
    assert client.get(f"/desk/events/{workshop.slug}/participants.pdf").status_code == 404
    client.force_login(filled[0])
    assert client.get(f"/desk/events/{workshop.slug}/participants.pdf").status_code == 404


def test_no_public_list_for_a_draft_event(client, other_event):
    assert client.get(f"/events/{other_event.slug}/participants.pdf").status_code == 404


def test_badges_carry_name_affiliation_type_and_a_working_check_in_code(client, organiser, workshop, filled, tmp_path):
    client.force_login(organiser)
    response = client.get(f"/desk/events/{workshop.slug}/badges.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path, layout=False)
    assert "Ms Aisyah\n<b>Ismail</b>" in text  # escaped: printed as typed
    for line in ("MyIPO", "Malaysia", "Delegate 1", "IPONZ", "New Zealand"):
        assert f"\n{line}\n" in text
    assert text.count("MEMBER-ECONOMY DELEGATE") == 2  # two seated people, one badge each
    assert "MBIE" not in text
    assert page_count(response.content, tmp_path) == 1
    # Each badge's QR code is that registration's own check-in address.
    badges = documents.badge_context(workshop)["badges"]
    assert [qr for _, qr in badges] == [qr_data_uri(checkin_url(registration)) for registration, _ in badges]
    assert len({qr for _, qr in badges}) == 2


def test_badges_are_for_organisers_of_the_event_only(client, other_organiser, workshop, filled):
    client.force_login(other_organiser)
    assert client.get(f"/desk/events/{workshop.slug}/badges.pdf").status_code == 404


def test_certificate_of_attendance_for_checked_in_participants_only(client, workshop, filled, people, tmp_path):
    registration = workshop.registrations.get(user=filled[0])
    client.force_login(filled[0])
    assert client.get(f"/registrations/{registration.uid}/certificate.pdf").status_code == 404  # not yet attended
    services.check_in(registration)
    assert "Certificate of attendance" in client.get("/registrations/").content.decode()
    response = client.get(f"/registrations/{registration.uid}/certificate.pdf")
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "This is to certify that Ms Aisyah <b>Ismail</b> MyIPO, Malaysia attended" in text
    assert workshop.title in text
    client.force_login(filled[1])  # someone else
    assert client.get(f"/registrations/{registration.uid}/certificate.pdf").status_code == 404
