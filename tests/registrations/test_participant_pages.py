import pytest
from django.utils import timezone

from registrations import services
from registrations.models import Registration

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {"participation_type": "delegate", "economy": "NZ", "organisation": "IPONZ", "privacy_consent": "on"}
    data.update(changes)
    return data


@pytest.fixture
def participant(client, people):
    (user,) = people(1)
    client.force_login(user)
    return user


def test_register_page_needs_sign_in(client, workshop):
    response = client.get(f"/events/{workshop.slug}/register/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_register_form_is_prefilled_from_the_profile(client, workshop, participant):
    participant.profile.organisation = "Ministry of Business"
    participant.profile.save()
    page = client.get(f"/events/{workshop.slug}/register/").content.decode()
    assert 'value="Ministry of Business"' in page
    assert '<option value="NZ" selected>New Zealand</option>' in page
    assert "2 seats left." in page


def test_register_then_see_it_in_my_registrations(client, workshop, participant):
    response = client.post(f"/events/{workshop.slug}/register/", form_data(dietary_needs="Vegetarian"))
    assert response.status_code == 302 and response["Location"] == "/registrations/"
    registration = Registration.objects.get(user=participant)
    assert (registration.status, registration.dietary_needs) == ("confirmed", "Vegetarian")
    page = client.get("/registrations/").content.decode()
    assert workshop.title in page and "Confirmed" in page
    assert f"/registrations/{registration.uid}/invitation.ics" in page


def test_waitlisted_person_sees_their_position(client, workshop, people, participant):
    for user in people(3, "early"):
        services.register(workshop, user)
    client.post(f"/events/{workshop.slug}/register/", form_data())
    page = client.get("/registrations/").content.decode()
    assert "number 2 on the waiting list" in page


def test_my_registrations_query_count_is_fixed(client, participant, people, organiser, django_assert_num_queries):
    from datetime import timedelta

    from ..factories import make_event

    for n in range(6):
        event = make_event(f"event-{n}", starts_at=timezone.now() + timedelta(days=n + 10), capacity=1)
        if n % 2:
            services.register(event, people(1, f"other{n}-")[0])
        services.register(event, participant)
    # session, user, organiser-link check in the header, the registrations with their queue positions,
    # the focal-point check of the "Delegations you nominate for" section (delegations/focal_point.py)
    with django_assert_num_queries(5):
        page = client.get("/registrations/").content.decode()
    assert page.count("number 1 on the waiting list") == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"privacy_consent": ""}, "Please agree to the privacy notice to register."),
        ({"participation_type": "king"}, "Select a valid choice."),
        ({"economy": ""}, "This field is required."),
        ({"economy": "FR"}, "Select a valid choice."),
        ({"invitation_letter": "on"}, "Needed for the invitation letter."),
        (
            {"invitation_letter": "on", "passport_name": "A", "nationality": "Peru", "passport_number": "P1",
             "date_of_birth": "2999-01-01"},
            "Enter your real date of birth.",
        ),
        ({"invitation_letter": "on", "date_of_birth": "31/02/1980"}, "Enter a valid date."),
        ({"dietary_needs": "x" * 501}, "Ensure this value has at most 500 characters"),
    ],
)  # fmt: skip
def test_register_form_bad_input_is_explained(client, workshop, participant, changes, message):
    response = client.post(f"/events/{workshop.slug}/register/", form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_second_registration_is_refused_with_a_message(client, workshop, participant):
    client.post(f"/events/{workshop.slug}/register/", form_data())
    response = client.get(f"/events/{workshop.slug}/register/", follow=True)
    assert "You are already registered for this event (confirmed)." in response.content.decode()
    client.post(f"/events/{workshop.slug}/register/", form_data())
    assert Registration.objects.filter(user=participant).count() == 1


def test_closed_registration_says_why(client, workshop, participant):
    workshop.registration_closes_at = timezone.now() - timezone.timedelta(hours=1)
    workshop.save()
    response = client.post(f"/events/{workshop.slug}/register/", form_data())
    assert "Registration for this event has closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_draft_event_has_no_register_page(client, other_event, participant):
    assert client.get(f"/events/{other_event.slug}/register/").status_code == 404


def test_cancel_from_my_registrations(client, workshop, participant):
    registration = services.register(workshop, participant)
    assert "Yes, cancel my registration" in client.get(f"/registrations/{registration.uid}/cancel/").content.decode()
    response = client.post(f"/registrations/{registration.uid}/cancel/", follow=True)
    assert "is cancelled" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_own_detail_shows_letter_data_and_check_in_code(client, workshop, participant):
    registration = services.register(
        workshop, participant, invitation_letter=True, passport_name="TAMA NGATA", nationality="New Zealand",
        passport_number="LA123456", date_of_birth=timezone.localdate().replace(year=1980),
    )  # fmt: skip
    page = client.get(f"/registrations/{registration.uid}/").content.decode()
    assert "LA123456" in page and "<svg" in page


def test_invitation_download_is_a_calendar_file(client, workshop, participant):
    registration = services.register(workshop, participant)
    response = client.get(f"/registrations/{registration.uid}/invitation.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"METHOD:REQUEST" in response.content and b"TZID=Pacific/Auckland" in response.content


@pytest.mark.parametrize("suffix", ["", "cancel/", "invitation.ics"])
def test_nobody_reads_or_cancels_someone_elses_registration(client, workshop, people, suffix):
    owner, intruder = people(2)
    registration = services.register(
        workshop, owner, invitation_letter=True, passport_name="OWNER", nationality="Peru",
        passport_number="SECRET999", date_of_birth=timezone.localdate().replace(year=1975),
    )  # fmt: skip
    client.force_login(intruder)
    assert client.get(f"/registrations/{registration.uid}/{suffix}").status_code == 404
    assert client.post(f"/registrations/{registration.uid}/{suffix}").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert "SECRET999" not in client.get("/registrations/").content.decode()


def test_malformed_registration_ids_are_404(client, participant):
    assert client.get("/registrations/not-a-uuid/").status_code == 404
    assert client.get("/registrations/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_letter_data_never_reaches_other_participants_pages(client, workshop, people):
    owner, other = people(2)
    services.register(
        workshop, owner, invitation_letter=True, passport_name="OWNER", nationality="Peru",
        passport_number="SECRET999", date_of_birth=timezone.localdate().replace(year=1975),
    )  # fmt: skip
    client.force_login(other)
    for path in ("/registrations/", f"/events/{workshop.slug}/", f"/events/{workshop.slug}/register/"):
        assert "SECRET999" not in client.get(path).content.decode()


def test_anonymous_cannot_see_registrations(client, workshop, people):
    registration = services.register(workshop, people(1)[0])
    response = client.get(f"/registrations/{registration.uid}/")
    assert response.status_code == 302
