"""APEC's travel-eligible economies are data: seeded with APEC's list, edited
by the Secretariat (staff) only, each change logged."""

import pytest
from django.urls import reverse

from audit.models import LogEntry
from travel import queries
from travel.models import TravelEligibility

from ..factories import make_user

pytestmark = pytest.mark.django_db

APEC_LIST = {"CL", "CN", "ID", "MY", "MX", "PG", "PE", "PH", "TH", "VN"}
URL = reverse("desk:travel_eligibility")


def test_the_seeded_list_is_apecs_and_has_a_row_for_every_member_economy():
    assert queries.eligible_codes() == APEC_LIST
    assert TravelEligibility.objects.count() == 21


def test_staff_make_an_economy_eligible_and_another_not_and_each_change_is_logged(client):
    staff = make_user("secretariat@example.org", staff=True, full_name="Sam Secretariat")
    client.force_login(staff)
    response = client.post(URL, {"eligible": sorted(APEC_LIST - {"MX"} | {"RU"})}, follow=True)
    assert "Saved: Mexico, Russia changed." in response.content.decode()
    assert queries.eligible_codes() == APEC_LIST - {"MX"} | {"RU"}
    entries = {
        entry.object_label: (entry.before, entry.after, entry.actor)
        for entry in LogEntry.objects.filter(action="travel.eligibility_changed")
    }
    assert entries == {
        "Mexico": ({"eligible": True}, {"eligible": False}, staff),
        "Russia": ({"eligible": False}, {"eligible": True}, staff),
    }
    row = TravelEligibility.objects.get(economy="RU")
    assert row.changed_by == staff and row.changed_at is not None
    assert "Russia: made eligible by Sam Secretariat" in client.get(URL).content.decode()


def test_saving_the_same_list_changes_and_logs_nothing(client):
    client.force_login(make_user("secretariat@example.org", staff=True))
    response = client.post(URL, {"eligible": sorted(APEC_LIST)}, follow=True)
    assert "Nothing changed." in response.content.decode()
    assert not LogEntry.objects.filter(action="travel.eligibility_changed").exists()


def test_an_organiser_who_is_not_staff_can_neither_see_nor_change_the_list(client, organiser):
    client.force_login(organiser)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"eligible": ["NZ"]}).status_code == 403
    assert queries.eligible_codes() == APEC_LIST


def test_an_unknown_economy_code_gets_a_clear_message_and_changes_nothing(client):
    client.force_login(make_user("secretariat@example.org", staff=True))
    response = client.post(URL, {"eligible": ["CL", "XX", "ZZ"]})
    assert response.status_code == 400
    assert "Choose member economies from the list." in response.content.decode()
    assert queries.eligible_codes() == APEC_LIST
