"""Funding a traveller: only seated participants of travel-eligible
economies, within the event's places per economy; recorded on the
registration (the completion report counts it) and in the log; withdrawn
with a reason, which frees the place."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import LogEntry
from registrations.models import Registration
from travel import queries, services
from travel.models import FundedTraveller, TravelFunding

from .conftest import seat, upload

pytestmark = pytest.mark.django_db


def fund(registration, organiser, category="apec_participant", **extra):
    return services.fund(registration, category, actor=organiser, **extra)


def test_funding_records_the_category_on_the_registration_with_default_entitlements_and_logs_it(
    workshop, chilean, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        traveller = fund(chilean, organiser, "apec_speaker")
    chilean.refresh_from_db()
    assert chilean.funding == Registration.Funding.APEC_SPEAKER
    # Two days at the venue plus one; claims due 30 days after the last day there.
    assert (traveller.airfare_class, traveller.per_diem_days) == ("economy", 3)
    ends = workshop.ends_at.astimezone(workshop.tz).date()
    assert traveller.claim_due_on == date.fromordinal(ends.toordinal() + 30)
    logged = LogEntry.objects.get(action="travel.funded")
    assert (logged.actor, logged.event_id) == (organiser, workshop.pk)
    assert logged.after["category"] == "apec_speaker" and logged.after["per_diem_days"] == 3
    assert LogEntry.objects.get(action="registration.funding_set").after == {"funding": "apec_speaker"}
    [message] = mail.outbox
    assert message.to == ["carla@example.org"]
    assert message.subject == "Your travel is funded: Industrial Design Workshop"
    assert "Economy class" in message.body and "Per diem: 3 days" in message.body


def test_an_economy_that_is_not_travel_eligible_is_refused_by_name(workshop, organiser):
    kiwi = seat(workshop, "nina@example.org", "NZ", name="Nina Kiwi")
    with pytest.raises(services.TravelRefused, match=r"Nina Kiwi's economy \(New Zealand\) is not travel-eligible\."):
        fund(kiwi, organiser)
    kiwi.refresh_from_db()
    assert kiwi.funding == "self" and not FundedTraveller.objects.exists()


@pytest.mark.parametrize("status", ["waitlisted", "pending", "cancelled"])
def test_a_registration_without_a_seat_is_refused(workshop, organiser, status):
    waiting = seat(workshop, "wen@example.org", "CN", status=status, name="Wen China")
    with pytest.raises(services.TravelRefused, match="Wen China holds no seat"):
        fund(waiting, organiser)
    assert not FundedTraveller.objects.exists()


def test_the_economys_places_are_counted_and_the_next_one_is_refused(workshop, chilean, organiser):
    fund(chilean, organiser)
    second = seat(workshop, "pablo@example.org", "CL")
    with pytest.raises(services.TravelRefused, match="Chile has used its 1 funded place for this event"):
        fund(second, organiser)
    # Another economy's place is its own.
    fund(seat(workshop, "pedro@example.org", "PE"), organiser)
    TravelFunding.objects.create(event=workshop, places_per_economy=2)
    fund(second, organiser)
    places = {row.economy: (row.used, row.left) for row in queries.places(workshop)}
    assert places["CL"] == (2, 0) and places["PE"] == (1, 1) and places["MY"] == (0, 2)


def test_funding_twice_is_refused(chilean, organiser):
    fund(chilean, organiser)
    with pytest.raises(services.TravelRefused, match="Carla Chile is already funded"):
        fund(chilean, organiser, "apec_expert")


def test_withdrawing_needs_a_reason_frees_the_place_and_tells_the_traveller(
    workshop, chilean, organiser, django_capture_on_commit_callbacks
):
    traveller = fund(chilean, organiser)
    services.add_document(traveller, "e_ticket", upload(), "application/pdf", "e-ticket.pdf", actor=chilean.user)
    with pytest.raises(services.TravelRefused, match="Give the reason"):
        services.unfund(traveller, actor=organiser, reason="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.unfund(traveller, actor=organiser, reason="Travels on the ministry's budget.")
    chilean.refresh_from_db()
    assert chilean.funding == "self" and not FundedTraveller.objects.exists()
    logged = LogEntry.objects.get(action="travel.unfunded")
    assert logged.reason == "Travels on the ministry's budget." and logged.before["documents"] == 1
    [message] = mail.outbox
    assert message.subject == "Travel funding withdrawn: Industrial Design Workshop"
    assert "Their reason: Travels on the ministry's budget." in message.body
    # The place is free again.
    assert fund(seat(workshop, "pablo@example.org", "CL"), organiser)


def test_the_desk_funds_a_participant_chosen_from_the_eligible_seated_unfunded_ones(workshop, chilean, desk):
    seat(workshop, "nina@example.org", "NZ", name="Nina Kiwi")
    seat(workshop, "wen@example.org", "CN", status="waitlisted", name="Wen China")
    page = desk.get(reverse("desk:travel", args=[workshop.slug])).content.decode()
    assert "Carla Chile (Chile)" in page
    assert "Nina Kiwi" not in page and "Wen China" not in page
    response = desk.post(
        reverse("desk:travel_fund", args=[workshop.slug]),
        {"fund-registration": str(chilean.uid), "fund-category": "apec_expert", "fund-airfare_class": "business",
         "fund-per_diem_days": "4"},
        follow=True,
    )  # fmt: skip
    assert "Carla Chile is funded as APEC-funded expert." in response.content.decode()
    traveller = FundedTraveller.objects.get()
    assert (traveller.category, traveller.airfare_class, traveller.per_diem_days) == ("apec_expert", "business", 4)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fund-registration": ""}, "Choose the participant to fund."),
        ({"fund-registration": "not-a-uid", "fund-category": "apec_expert"}, "Choose a seated participant"),
        ({"fund-category": "self"}, "Choose participant, speaker or expert."),
        ({"fund-airfare_class": "first"}, "Choose economy, premium economy or business."),
        ({"fund-per_diem_days": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"fund-per_diem_days": "three"}, "Enter a whole number of days, 0 to 60."),
    ],
)
def test_bad_input_on_the_fund_form_gets_a_clear_message(workshop, chilean, desk, data, message):
    base = {"fund-registration": str(chilean.uid), "fund-category": "apec_participant", "fund-airfare_class": "economy"}
    response = desk.post(reverse("desk:travel_fund", args=[workshop.slug]), {**base, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FundedTraveller.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"settings-places_per_economy": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"settings-places_per_economy": "many"}, "Enter a whole number of places, 0 to 50."),
        ({"settings-claim_due_days": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"settings-claim_due_days": ""}, "This field is required."),
        ({"settings-places_per_economy": "0"}, "An economy already has 1 funded traveller"),
    ],
)
def test_bad_input_on_the_settings_form_gets_a_clear_message(workshop, chilean, organiser, desk, data, message):
    fund(chilean, organiser)
    base = {"settings-places_per_economy": "2", "settings-claim_due_days": "20"}
    response = desk.post(reverse("desk:travel_settings", args=[workshop.slug]), {**base, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TravelFunding.objects.exists()


def test_settings_are_saved_logged_and_used_for_the_next_traveller(workshop, chilean, organiser, desk):
    response = desk.post(
        reverse("desk:travel_settings", args=[workshop.slug]),
        {"settings-places_per_economy": "2", "settings-claim_due_days": "14"},
        follow=True,
    )
    assert "Travel funding settings saved." in response.content.decode()
    assert LogEntry.objects.get(action="travel.settings_changed").after == {
        "places_per_economy": 2,
        "claim_due_days": 14,
    }
    traveller = fund(chilean, organiser)
    assert (traveller.claim_due_on - workshop.ends_at.astimezone(workshop.tz).date()).days == 14


def test_a_viewer_reads_the_travel_page_but_cannot_fund(workshop, chilean, client):
    from events.models import EventRole

    from ..factories import make_user

    viewer = make_user("viewer@example.org")
    EventRole.objects.create(event=workshop, user=viewer, role=EventRole.Role.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("desk:travel", args=[workshop.slug])).content.decode()
    assert "Places per economy" in page and "Fund a participant" not in page
    response = client.post(
        reverse("desk:travel_fund", args=[workshop.slug]),
        {"fund-registration": str(chilean.uid), "fund-category": "apec_expert", "fund-airfare_class": "economy"},
    )
    assert response.status_code == 403 and not FundedTraveller.objects.exists()


def test_an_economy_given_its_own_places_is_counted_against_them_and_the_change_is_logged(
    workshop, chilean, organiser, desk
):
    url = reverse("desk:travel_places", args=[workshop.slug])
    response = desk.post(url, {"places-economy": "CL", "places-places": "2"}, follow=True)
    assert "Chile has 2 funded places." in response.content.decode()
    assert '<td data-label="Places">2 <span class="muted">(its own)</span></td>' in response.content.decode()
    fund(chilean, organiser)
    fund(seat(workshop, "pablo@example.org", "CL"), organiser)
    with pytest.raises(services.TravelRefused, match="Chile has used its 2 funded places for this event"):
        fund(seat(workshop, "paz@example.org", "CL"), organiser)
    # Peru keeps the event's one place.
    fund(seat(workshop, "pedro@example.org", "PE"), organiser)
    with pytest.raises(services.TravelRefused, match="Peru has used its 1 funded place for this event"):
        fund(seat(workshop, "pia@example.org", "PE"), organiser)
    entry = LogEntry.objects.get(action="travel.places_changed")
    assert (entry.object_label, entry.before, entry.after, entry.actor) == (
        "Chile",
        {"places": None},
        {"places": 2},
        organiser,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"places-economy": "", "places-places": "2"}, "Choose the economy."),
        ({"places-economy": "NZ", "places-places": "2"}, "Choose a travel-eligible economy from the list."),
        ({"places-economy": "CL", "places-places": "lots"}, "Enter a whole number of places, 0 to 50."),
        ({"places-economy": "CL", "places-places": "51"}, "Ensure this value is less than or equal to 50."),
        ({"places-economy": "CL", "places-places": "0"}, "It already has 1 funded traveller: keep at least 1."),
    ],
)
def test_bad_input_on_the_economy_places_form_gets_a_clear_message(workshop, chilean, organiser, desk, data, message):
    fund(chilean, organiser)
    response = desk.post(reverse("desk:travel_places", args=[workshop.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LogEntry.objects.filter(action="travel.places_changed").exists()


def test_the_registration_page_sends_a_funded_travellers_funding_to_the_travel_page(desk, workshop, chilean, organiser):
    fund(chilean, organiser, "apec_speaker")
    url = reverse("desk:registration_funding", args=[workshop.slug, chilean.uid])
    response = desk.post(url, {"funding-funding": "self", "funding-reason": "Oops"}, follow=True)
    assert "is a funded traveller: change or withdraw the funding on the Travel funding page." in (
        response.content.decode()
    )
    chilean.refresh_from_db()
    assert chilean.funding == Registration.Funding.APEC_SPEAKER
    assert FundedTraveller.objects.filter(registration=chilean).exists()
    assert LogEntry.objects.filter(action="registration.funding_set").count() == 1  # the grant's own
