import csv
import io

import pytest
from openpyxl import load_workbook

from registrations import services
from registrations.models import Registration

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(workshop, people):
    workshop.approval_required_for = ["head_of_delegation"]
    workshop.save()
    users = people(4)
    users[1].profile.full_name = "Aisyah Ismail"
    users[1].profile.save()
    registrations = [services.register(workshop, user, economy="MY" if n % 2 else "NZ") for n, user in enumerate(users)]
    head = make_user("head@example.org", full_name="Head Of Delegation", economy="PE")
    registrations.append(services.register(workshop, head, participation_type="head_of_delegation", economy="PE"))
    return registrations


def test_list_shows_counts_and_filters(desk, workshop, filled):
    page = desk.get(f"/desk/events/{workshop.slug}/registrations/").content.decode()
    assert "<strong>2</strong> / 2 seats taken" in page
    assert "<strong>2</strong> waitlisted" in page and "<strong>1</strong> pending approval" in page
    assert "Seated by economy: Malaysia 1 · New Zealand 1" in page
    filtered = desk.get(f"/desk/events/{workshop.slug}/registrations/?status=waitlisted").context["page"]
    assert {r.status for r in filtered.object_list} == {"waitlisted"}
    by_economy = desk.get(f"/desk/events/{workshop.slug}/registrations/?economy=PE").context["page"]
    assert [r.participation_type for r in by_economy.object_list] == ["head_of_delegation"]
    found = desk.get(f"/desk/events/{workshop.slug}/registrations/?q=aisyah").context["page"]
    assert [r.user.profile.full_name for r in found.object_list] == ["Aisyah Ismail"]


def test_bad_filters_are_explained(desk, workshop, filled):
    response = desk.get(f"/desk/events/{workshop.slug}/registrations/?status=lost&page=zz")
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_list_query_count_does_not_grow(desk, workshop, people, django_assert_num_queries):
    for user in people(3):
        services.register(workshop, user)
    # session, user, header's organiser check, event, page count, page rows, status counts, economy counts
    with django_assert_num_queries(7):
        desk.get(f"/desk/events/{workshop.slug}/registrations/")
    for user in people(30, "more"):
        services.register(workshop, user)
    with django_assert_num_queries(7):
        desk.get(f"/desk/events/{workshop.slug}/registrations/")


def test_approve_and_decline_from_the_desk(desk, workshop, filled):
    head = filled[-1]
    url = f"/desk/events/{workshop.slug}/registrations/{head.uid}/approve/"
    response = desk.post(url, {"decision-reason": "Nominated"})
    assert "No seat is free" in response.content.decode()  # asked first, nothing changed yet
    head.refresh_from_db()
    assert head.status == "pending"
    # The confirmation carries the reason on, under the form's prefixed name.
    assert '<input type="hidden" name="decision-reason" value="Nominated">' in response.content.decode()
    response = desk.post(url, {"decision-reason": "Nominated", "confirm_full": "1"}, follow=True)
    assert "is now waitlisted" in response.content.decode()
    head.refresh_from_db()
    assert head.status_reason == "Nominated"
    other = services.register(workshop, make_user("h2@example.org"), participation_type="head_of_delegation")
    desk.post(f"/desk/events/{workshop.slug}/registrations/{other.uid}/decline/", {"decision-reason": "Not nominated"})
    other.refresh_from_db()
    assert (other.status, other.status_reason) == ("declined", "Not nominated")


def test_move_with_reason_and_refusal_messages(desk, workshop, filled):
    waitlisted = filled[2]
    url = f"/desk/events/{workshop.slug}/registrations/{waitlisted.uid}/move/"
    response = desk.post(url, {"move-status": "confirmed", "move-reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = desk.post(url, {"move-status": "confirmed", "move-reason": "VIP"}, follow=True)
    assert "No seat is free" in response.content.decode()
    response = desk.post(url, {"move-status": "attended", "move-reason": "x"})
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()
    waitlisted.refresh_from_db()
    assert waitlisted.status == "waitlisted"


def test_capacity_change_promotes_and_validates(desk, workshop, filled):
    response = desk.post(f"/desk/events/{workshop.slug}/registrations/capacity/", {"capacity": "3"}, follow=True)
    assert "Capacity is now 3. 1 waitlisted person was given a seat." in response.content.decode()
    response = desk.post(f"/desk/events/{workshop.slug}/registrations/capacity/", {"capacity": "1"}, follow=True)
    assert "3 seats are already taken, so capacity cannot go below 3." in response.content.decode()
    response = desk.post(f"/desk/events/{workshop.slug}/registrations/capacity/", {"capacity": "-1"}, follow=True)
    assert "Capacity not changed" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.capacity == 3


def test_csv_and_xlsx_exports_have_every_answer_and_defuse_formulas(desk, workshop, people):
    (user,) = people(1)
    services.register(workshop, user, dietary_needs='=HYPERLINK("http://evil")', organisation="Ministry")
    response = desk.get(f"/desk/events/{workshop.slug}/registrations.csv")
    assert response["Content-Disposition"] == f'attachment; filename="{workshop.slug}-registrations.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "E-mail", "Status", "Participation"]
    assert rows[1][0] == "Delegate 0" and rows[1][5] == "Ministry"
    assert rows[1][6].startswith("'=HYPERLINK")
    workbook = load_workbook(io.BytesIO(desk.get(f"/desk/events/{workshop.slug}/registrations.xlsx").content))
    sheet = workbook.active
    assert sheet["A2"].value == "Delegate 0" and sheet["G2"].value.startswith("'=")
    assert desk.get(f"/desk/events/{workshop.slug}/registrations.pdf").status_code == 404


def test_check_in_by_search_and_by_qr_code(desk, workshop, filled):
    seated = filled[1]
    page = desk.get(f"/desk/events/{workshop.slug}/checkin/?q=aisyah").content.decode()
    assert "Aisyah Ismail" in page and "Check in" in page
    response = desk.post(
        f"/desk/events/{workshop.slug}/checkin/", {"registration": seated.uid, "q": "aisyah"}, follow=True
    )
    assert "Aisyah Ismail is checked in." in response.content.decode()
    response = desk.post(f"/desk/events/{workshop.slug}/checkin/", {"registration": seated.uid}, follow=True)
    assert "was already checked in" in response.content.decode()

    first = filled[0]
    page = desk.get(f"/desk/events/{workshop.slug}/checkin/{first.checkin_code}/").content.decode()
    assert "Check in Delegate 0" in page
    desk.post(f"/desk/events/{workshop.slug}/checkin/{first.checkin_code}/")
    first.refresh_from_db()
    assert first.status == "attended"
    assert desk.get(f"/desk/events/{workshop.slug}/checkin/not-a-code/").status_code == 404


def test_waitlisted_person_cannot_be_checked_in(desk, workshop, filled):
    response = desk.post(f"/desk/events/{workshop.slug}/checkin/{filled[2].checkin_code}/", follow=True)
    assert "Only confirmed participants can be checked in" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "registrations/",
        "registrations.csv",
        "registrations.xlsx",
        "registrations/{uid}/",
        "checkin/",
        "checkin/{code}/",
    ],
)
def test_another_events_organiser_sees_nothing(client, other_organiser, workshop, filled, path):
    client.force_login(other_organiser)
    registration = filled[0]
    response = client.get(
        f"/desk/events/{workshop.slug}/" + path.format(uid=registration.uid, code=registration.checkin_code)
    )
    assert response.status_code == 404
    assert registration.user.email.encode() not in response.content


@pytest.mark.parametrize("action", ["approve", "decline", "move"])
def test_another_events_organiser_cannot_change_registrations(client, other_organiser, workshop, filled, action):
    client.force_login(other_organiser)
    head = filled[-1]
    response = client.post(
        f"/desk/events/{workshop.slug}/registrations/{head.uid}/{action}/",
        {"decision-reason": "x", "move-reason": "x", "move-status": "cancelled"},
    )
    assert response.status_code == 404
    assert client.post(f"/desk/events/{workshop.slug}/registrations/capacity/", {"capacity": "100"}).status_code == 404
    assert client.post(f"/desk/events/{workshop.slug}/checkin/{filled[0].checkin_code}/").status_code == 404
    head.refresh_from_db()
    workshop.refresh_from_db()
    assert head.status == "pending" and workshop.capacity == 2
    assert Registration.objects.get(pk=filled[0].pk).status == "confirmed"


def test_participants_cannot_use_the_desk(client, workshop, filled):
    client.force_login(filled[0].user)
    assert client.get(f"/desk/events/{workshop.slug}/registrations/").status_code == 404
    assert client.get(f"/desk/events/{workshop.slug}/registrations.csv").status_code == 404
