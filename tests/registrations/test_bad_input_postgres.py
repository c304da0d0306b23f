"""On PostgreSQL, which refuses NUL in text: a search or a check-in code
holding one is answered, not a 500."""

import pytest
from django.db import connection
from django.test import Client

from registrations.models import Registration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def desk(organiser):
    client = Client(raise_request_exception=False)
    client.force_login(organiser)
    return client


def test_nul_in_the_check_in_search_and_code(desk, workshop, seated):
    assert connection.vendor == "postgresql"
    page = desk.get(f"/desk/events/{workshop.slug}/checkin/", {"q": "ais\x00yah"})
    assert page.status_code == 200
    assert "Aisyah Ismail" in page.content.decode()
    response = desk.get(f"/desk/events/{workshop.slug}/checkin/{seated.checkin_code}%00/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    response = desk.post(
        f"/desk/events/{workshop.slug}/checkin/", {"registration": "\x00", "q": "\x00aisyah"}, follow=True
    )
    assert "That check-in did not name a registration" in response.content.decode()
    assert "Aisyah Ismail" in response.content.decode()
    seated.refresh_from_db()
    assert seated.status == Registration.Status.CONFIRMED


def test_nul_in_the_registration_list_filter_is_explained(desk, workshop, seated):
    response = desk.get(f"/desk/events/{workshop.slug}/registrations/", {"q": "ais\x00yah"})
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()
