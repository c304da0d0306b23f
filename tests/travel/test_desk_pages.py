"""The desk's travel funding page: places used and left per eligible
economy, each traveller's entitlements, claim and the attendance that backs
it, in a number of queries that does not grow with the travellers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceMark
from attendance.sessions import sessions_of
from registrations.models import Registration
from travel import services
from travel.models import TravelFunding

from .conftest import seat, upload

pytestmark = pytest.mark.django_db

ELIGIBLE = ["CL", "CN", "ID", "MY", "MX", "PG", "PE", "PH", "TH", "VN"]


def travellers(workshop, organiser, count):
    TravelFunding.objects.update_or_create(event=workshop, defaults={"places_per_economy": 10})
    funded = []
    for n in range(count):
        registration = seat(
            workshop, f"traveller{n}@example.org", ELIGIBLE[n % len(ELIGIBLE)], name=f"Traveller {n:02}"
        )
        funded.append(services.fund(registration, "apec_participant", actor=organiser))
    return funded


def test_the_page_shows_places_entitlements_claims_and_the_attendance_behind_each(workshop, traveller, organiser, desk):
    registration = traveller.registration
    first = sessions_of(workshop)[0]
    AttendanceMark.objects.create(
        registration=registration, item_uid=first.uid, mode="in_person", source="desk", marked_at=timezone.now()
    )
    Registration.objects.filter(pk=registration.pk).update(status="attended", checked_in_at=timezone.now())
    services.add_document(traveller, "e_ticket", upload(), "application/pdf", "t.pdf", actor=None)
    page = desk.get(reverse("desk:travel", args=[workshop.slug])).content.decode()
    assert (
        '<th scope="row">Chile</th><td data-label="Places">1</td><td data-label="Used">1</td><td data-label="Left">0</td>'
        in page
    )
    assert (
        '<th scope="row">Peru</th><td data-label="Places">1</td><td data-label="Used">0</td><td data-label="Left">1</td>'
        in page
    )
    assert "New Zealand" not in page.split("Funded travellers")[0].split("Places per economy")[1]
    assert "Economy airfare, 3 per-diem days" in page
    assert "Awaiting documents" in page
    # One of the two sessions (lunch is not one), each an hour: half the meeting's time.
    assert "1 of 2 sessions (50% of the time); checked in at the venue" in page
    assert '<td data-label="Documents">1</td>' in page
    claim = desk.get(reverse("desk:travel_claim", args=[workshop.slug, traveller.pk])).content.decode()
    assert "1 of 2 sessions, 50% of the meeting's time; checked in at the venue" in claim


@pytest.mark.parametrize(("count", "queries"), [(3, 12), (30, 12)])
def test_the_page_reads_in_a_fixed_number_of_queries(
    workshop, organiser, desk, django_assert_num_queries, count, queries
):
    funded = travellers(workshop, organiser, count)
    for traveller in funded[::2]:
        for item in sessions_of(workshop):
            AttendanceMark.objects.create(
                registration=traveller.registration, item_uid=item.uid, mode="in_person", source="desk",
                marked_at=timezone.now(),
            )  # fmt: skip
    seat(workshop, "waiting@example.org", "PE")
    with django_assert_num_queries(queries):
        page = desk.get(reverse("desk:travel", args=[workshop.slug])).content.decode()
    assert page.count('<td data-label="Claim">') == count
    assert "2 of 2 sessions (100% of the time)" in page and "0 of 2 sessions (0% of the time)" in page
