"""The demo's 2020 plenary took place: its attendance page and a remote
delegate's certificate have sessions to show, and seeding twice adds none."""

import pytest
from django.core.management import call_command

from attendance import sessions
from attendance.models import AttendanceMark
from events.models import Event
from registrations.models import Registration

# The demo funds a traveller from a travel-eligible economy.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("travel_eligibility")]


def test_the_demo_plenary_has_sessions_attended_in_the_room_and_online():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    plenary = Event.objects.get(slug="ipeg-plenary-som1-2020-putrajaya")
    per_session, per_economy = sessions.event_counts(plenary)
    assert sum(row.in_person for row in per_session) > 0 and sum(row.remote for row in per_session) > 0
    marked = AttendanceMark.objects.filter(registration__event=plenary)
    assert {row.name for row in per_economy} == {
        registration.get_economy_display()
        for registration in Registration.objects.filter(pk__in=marked.values("registration_id"))
    }
    assert {"Malaysia", "New Zealand"} <= {row.name for row in per_economy}
    online = Registration.objects.get(event=plenary, user__email="delegate.nz@ipeg.example")
    assert sessions.of_registration(online).any
    assert AttendanceMark.objects.filter(registration__event=plenary).count() == sum(row.total for row in per_session)
    penang = Event.objects.get(slug="industrial-design-workshop-penang")
    assert penang.remote_meeting_url.startswith("https://")
