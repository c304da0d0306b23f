"""Organisers set up an event without the Django admin: a venue (its zone
picked from a list showing each zone's offset), a meeting cluster, then the
event, of which the creator becomes the owner."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission

from events.models import EventRole, MeetingCluster, Venue
from events.timezones import venue_zone_names, zones_with_offsets

from ..factories import make_user

pytestmark = pytest.mark.django_db

CREATOR_PERMISSIONS = ["add_event", "add_speaker", "add_venue", "add_meetingcluster"]


@pytest.fixture
def creator(client):
    user = make_user("creator@example.org", full_name="Cora Creator")
    user.user_permissions.add(*Permission.objects.filter(codename__in=CREATOR_PERMISSIONS))
    client.force_login(user)
    return user


VENUE = {
    "name": "Te Pae Christchurch",
    "address": "92 Gloucester Street",
    "city": "Christchurch",
    "economy": "NZ",
    "timezone": "Pacific/Auckland",
}


def test_zone_suggestions_show_the_offset_in_force_then():
    january, july = datetime(2031, 1, 15, tzinfo=UTC), datetime(2031, 7, 15, tzinfo=UTC)
    assert ("Pacific/Auckland", "Pacific/Auckland (UTC+13)") in zones_with_offsets(january)
    assert ("Pacific/Auckland", "Pacific/Auckland (UTC+12)") in zones_with_offsets(july)
    assert ("Asia/Kolkata", "Asia/Kolkata (UTC+5:30)") in zones_with_offsets(july)
    assert ("America/Santiago", "America/Santiago (UTC-4)") in zones_with_offsets(july)
    # Old aliases are accepted but not offered.
    assert "US/Eastern" not in venue_zone_names() and "EST5EDT" not in venue_zone_names()


def test_the_venue_form_offers_every_zone_with_its_offset(client, creator):
    html = client.get("/desk/venues/new/").content.decode()
    assert 'list="id_timezone-zones"' in html and '<datalist id="id_timezone-zones">' in html
    assert '<option value="Pacific/Auckland">Pacific/Auckland (UTC+1' in html
    assert '<option value="Asia/Kuala_Lumpur">Asia/Kuala_Lumpur (UTC+8)</option>' in html
    assert html.count("<option value=") >= 300


def test_an_organiser_creates_a_venue(client, creator):
    response = client.post("/desk/venues/new/", VENUE)
    assert response.status_code == 302 and response["Location"] == "/desk/"
    venue = Venue.objects.get(name="Te Pae Christchurch")
    assert (venue.city, venue.economy, venue.timezone, venue.address) == (
        "Christchurch", "NZ", "Pacific/Auckland", "92 Gloucester Street",
    )  # fmt: skip


def test_a_zone_picked_with_its_label_is_read_as_its_name(client, creator):
    client.post("/desk/venues/new/?then=event", {**VENUE, "timezone": "Pacific/Auckland (UTC+13)"})
    assert Venue.objects.get().timezone == "Pacific/Auckland"


@pytest.mark.parametrize("zone", ["Pacific/Atlantis", "Auckland", "", "UTC+13", "\x00"])
def test_an_invalid_zone_is_a_form_error(client, creator, zone):
    response = client.post("/desk/venues/new/", {**VENUE, "timezone": zone})
    assert response.status_code == 200
    html = response.content.decode()
    assert "field-error" in html
    assert any(words in html for words in ("is not an IANA time zone", "This field is required", "Null characters"))
    assert not Venue.objects.exists()


def test_a_meeting_cluster_gets_an_address_from_its_meeting_year_and_city(client, creator):
    data = {
        "meeting": "SOM3",
        "year": "2031",
        "host_city": "Christchurch",
        "host_economy": "NZ",
        "start_date": "2031-08-10",
        "end_date": "2031-08-20",
    }
    response = client.post("/desk/clusters/new/?then=event", data)
    assert response.status_code == 302 and response["Location"] == "/desk/events/new/"
    cluster = MeetingCluster.objects.get()
    assert (cluster.slug, str(cluster)) == ("som3-2031-christchurch", "SOM3 2031, Christchurch")
    again = client.post("/desk/clusters/new/", data)
    assert again.status_code == 200 and MeetingCluster.objects.count() == 1
    backwards = client.post("/desk/clusters/new/", {**data, "year": "2032", "end_date": "2031-08-01"})
    assert "cannot end before it starts" in backwards.content.decode()


def test_the_creator_of_an_event_becomes_its_owner(client, creator, auckland):
    response = client.post(
        "/desk/events/new/",
        {
            "title": "Design Law Workshop",
            "slug": "design-law-2031",
            "kind": "workshop",
            "venue": auckland.pk,
            "starts_at": "2031-03-03T09:00",
            "ends_at": "2031-03-03T17:00",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/desk/events/design-law-2031/"
    role = EventRole.objects.get(event__slug="design-law-2031")
    assert (role.user, role.role) == (creator, EventRole.Role.OWNER)
    assert client.get("/desk/events/design-law-2031/team/").status_code == 200


def test_the_desk_home_links_what_the_user_may_create(client, creator):
    html = client.get("/desk/").content.decode()
    for url in ("/desk/events/new/", "/desk/venues/new/", "/desk/clusters/new/", "/desk/speakers/new/"):
        assert f'href="{url}"' in html


def test_without_the_permissions_nothing_can_be_created(client, organiser, auckland):
    client.force_login(organiser)
    assert client.get("/desk/venues/new/").status_code == 403
    assert client.post("/desk/venues/new/", VENUE).status_code == 403
    assert client.post("/desk/clusters/new/", {"meeting": "SOM1"}).status_code == 403
    assert not Venue.objects.exclude(pk=auckland.pk).exists()
    assert 'href="/desk/venues/new/"' not in client.get("/desk/").content.decode()


def test_staff_may_create_without_the_permissions(client):
    client.force_login(make_user("secretariat@example.org", staff=True))
    assert client.post("/desk/venues/new/", VENUE).status_code == 302
