"""The check-in scanner's endpoint (desk:checkin_scan): what the door shows for
each scan, each person counted once, batches kept while offline, and nothing
for anyone but the event's organisers. (Concurrent scans on PostgreSQL:
test_checkin_scan_postgres.py; the page in a browser: tests/e2e/test_checkin_scanner.py.)"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.checkin import checkin_url
from registrations.models import Registration

from ..factories import make_event, make_user

pytestmark = pytest.mark.django_db

Status = Registration.Status


def scan_url(event):
    return reverse("desk:checkin_scan", args=[event.slug])


def scan(client, event, *scans):
    """Posts scans as the page does (JSON); returns the decoded answer."""
    body = {"scans": list(scans)} if len(scans) != 1 else scans[0]
    response = client.post(scan_url(event), json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.fixture
def door(workshop, people):
    """A confirmed delegate of Malaysia, and one person in each status the door refuses."""
    workshop.capacity = None
    workshop.approval_required_for = ["observer"]
    workshop.save()
    names = ["Aisyah Ismail", "Declan Declined", "Carla Cancelled", "Paula Pending", "Wes Waitlisted"]
    users = people(len(names))
    for user, name in zip(users, names, strict=True):
        user.profile.full_name = name
        user.profile.save()
    confirmed = services.register(workshop, users[0], economy="MY", organisation="MyIPO")
    declined, cancelled, waitlisted = (services.register(workshop, users[n], economy="PE") for n in (1, 2, 4))
    pending = services.register(workshop, users[3], participation_type="observer", economy="CL")
    assert confirmed.status == Status.CONFIRMED and pending.status == Status.PENDING
    Registration.objects.filter(pk=declined.pk).update(status=Status.DECLINED, status_reason="Nominated twice.")
    Registration.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED, status_reason="")
    Registration.objects.filter(pk=waitlisted.pk).update(status=Status.WAITLISTED)
    return {
        "confirmed": confirmed,
        "declined": declined,
        "cancelled": cancelled,
        "pending": pending,
        "waitlisted": waitlisted,
    }


def attended(event):
    return Registration.objects.filter(event=event, status=Status.ATTENDED).count()


def test_a_confirmed_person_may_enter_and_is_checked_in(desk, workshop, door):
    answer = scan(desk, workshop, {"id": "scan-1", "code": door["confirmed"].checkin_code})
    (result,) = answer["results"]
    assert result["id"] == "scan-1"
    assert result["ok"] is True and result["outcome"] == "checked_in" and result["reason"] == ""
    assert result["name"] == "Aisyah Ismail"
    assert result["participation_type"] == "Member-economy delegate"
    assert result["economy"] == "Malaysia" and result["organisation"] == "MyIPO"
    registration = Registration.objects.get(pk=door["confirmed"].pk)
    assert registration.status == Status.ATTENDED
    local = registration.checked_in_at.astimezone(workshop.tz)
    # In the venue's zone, zone named: "... 14:05 Auckland time (UTC+13)".
    assert result["checked_in_time"].startswith(f"{local.day} {local:%b %Y, %H:%M} Auckland time (UTC+1")
    assert answer["attended"] == 1 and answer["seated"] == 1


def test_the_url_a_badges_qr_code_holds_is_read_as_its_code(desk, workshop, door):
    (result,) = scan(desk, workshop, {"code": checkin_url(door["confirmed"])})["results"]
    assert result["ok"] is True and result["name"] == "Aisyah Ismail"


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("declined", "Registration declined. Reason given: Nominated twice."),
        ("cancelled", "Registration cancelled."),
        ("pending", "Pending approval: not confirmed yet, so no seat."),
        ("waitlisted", "On the waiting list: no seat."),
    ],
)
def test_each_refusal_says_why_and_changes_nothing(desk, workshop, door, who, reason):
    registration = door[who]
    status = Registration.objects.get(pk=registration.pk).status
    (result,) = scan(desk, workshop, {"id": "x", "code": registration.checkin_code})["results"]
    assert result["ok"] is False and result["outcome"] == "refused"
    assert result["reason"] == reason
    assert result["name"] == registration.user.display_name and result["participation_type"]
    assert result["checked_in_at"] is None
    assert Registration.objects.get(pk=registration.pk).status == status
    assert attended(workshop) == 0


def test_already_checked_in_is_refused_with_the_time_of_the_first_scan(desk, workshop, door):
    code = door["confirmed"].checkin_code
    (first,) = scan(desk, workshop, {"code": code})["results"]
    (second,) = scan(desk, workshop, {"code": code})["results"]
    assert second["ok"] is False and second["outcome"] == "already_checked_in"
    assert second["checked_in_at"] == first["checked_in_at"]
    assert second["reason"] == f"Already checked in at {first['checked_in_time']}."
    assert "Auckland time" in second["reason"]
    assert attended(workshop) == 1


def test_a_batch_kept_offline_with_duplicates_counts_each_person_once(desk, workshop, door, people):
    (late_user,) = people(1, "late")
    late = services.register(workshop, late_user, economy="NZ")
    scanned_at = timezone.now() - timedelta(minutes=20)
    confirmed = door["confirmed"].checkin_code
    answer = scan(
        desk,
        workshop,
        {"id": "a", "code": confirmed, "scanned_at": scanned_at.isoformat()},
        {"id": "b", "code": confirmed, "scanned_at": (scanned_at + timedelta(seconds=5)).isoformat()},
        {"id": "c", "code": door["declined"].checkin_code, "scanned_at": scanned_at.isoformat()},
        {"id": "d", "code": late.checkin_code},
        {"id": "e", "code": "not-a-code"},
    )
    outcomes = [(r["id"], r["ok"], r["outcome"]) for r in answer["results"]]
    assert outcomes == [
        ("a", True, "checked_in"),
        ("b", False, "already_checked_in"),
        ("c", False, "refused"),
        ("d", True, "checked_in"),
        ("e", False, "unknown"),
    ]
    assert answer["attended"] == 2 == attended(workshop)
    # Sent again (the answer was lost on the way back): nobody is counted twice.
    again = scan(desk, workshop, {"id": "a", "code": confirmed}, {"id": "d", "code": late.checkin_code})
    assert [r["outcome"] for r in again["results"]] == ["already_checked_in", "already_checked_in"]
    assert again["attended"] == 2 == attended(workshop)


def test_a_scan_kept_offline_is_dated_when_it_was_made_if_that_is_believable(desk, workshop, door, people):
    now = timezone.now()
    users = people(3, "clock")
    made = [services.register(workshop, user) for user in users]
    twenty_minutes_ago = now - timedelta(minutes=20)
    scan(
        desk,
        workshop,
        {"code": made[0].checkin_code, "scanned_at": twenty_minutes_ago.isoformat()},
        {"code": made[1].checkin_code, "scanned_at": (now + timedelta(hours=2)).isoformat()},  # clock ahead
        {"code": made[2].checkin_code, "scanned_at": (now - timedelta(days=3)).isoformat()},  # clock far behind
    )
    times = {r.pk: r.checked_in_at for r in Registration.objects.filter(pk__in=[r.pk for r in made])}
    assert abs(times[made[0].pk] - twenty_minutes_ago) < timedelta(seconds=1)
    for registration in made[1:]:
        assert now - timedelta(seconds=5) < times[registration.pk] < timezone.now() + timedelta(seconds=1)


def test_another_events_code_is_not_a_code_here(desk, workshop, door, organiser):
    elsewhere = make_event("other-workshop", organisers=[organiser])
    theirs = services.register(elsewhere, make_user("elsewhere@example.org", full_name="Elsa Elsewhere"))
    assert theirs.status == Status.CONFIRMED
    for code in (theirs.checkin_code, checkin_url(theirs)):
        (result,) = scan(desk, workshop, {"code": code})["results"]
        assert result == {"id": "", "ok": False, "outcome": "unknown", "reason": "Not a check-in code of this event."}
    assert Registration.objects.get(pk=theirs.pk).status == Status.CONFIRMED


def test_a_form_posted_scan_works_too(desk, workshop, door):
    response = desk.post(scan_url(workshop), {"code": door["confirmed"].checkin_code, "id": "f"})
    assert response.json()["results"][0]["ok"] is True


def test_the_page_token_is_required(organiser, workshop, door):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    body = json.dumps({"code": door["confirmed"].checkin_code})
    assert client.post(scan_url(workshop), body, content_type="application/json").status_code == 403
    page = client.get(reverse("desk:checkin", args=[workshop.slug]))
    token = str(page.context["csrf_token"])
    assert f'data-scan-url="{scan_url(workshop)}"' in page.content.decode()
    response = client.post(scan_url(workshop), body, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.json()["results"][0]["ok"] is True


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{not json", "The request is not JSON."),
        (b"\xff\xfe", "The request is not JSON."),
        (b"[1, 2]", "Send a JSON object with 'code' or 'scans'."),
        (b'{"scans": []}', "'scans' must be a list of scans."),
        (b'{"scans": "abc"}', "'scans' must be a list of scans."),
        (b'{"scans": [{"id": "x"}]}', "Each scan needs a 'code' (text)."),
        (b'{"code": 12}', "Each scan needs a 'code' (text)."),
        (json.dumps({"scans": [{"code": "x"}] * 51}).encode(), "Send at most 50 scans at a time."),
    ],
)
def test_bad_requests_are_answered_400_and_change_nothing(desk, workshop, door, body, error):
    response = desk.post(scan_url(workshop), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert attended(workshop) == 0


def test_odd_but_well_formed_scans_are_unknown_codes(desk, workshop, door):
    answer = scan(
        desk,
        workshop,
        {"code": "", "scanned_at": "2024-02-30T10:00:00+00:00"},
        {"code": "\x00" + door["confirmed"].checkin_code, "id": 5, "scanned_at": "yesterday"},
        {"code": "x" * 5000, "scanned_at": "2030-01-01T00:00:00"},
        {"code": "https://example.org/"},
    )
    outcomes = [r["outcome"] for r in answer["results"]]
    # A NUL is dropped like elsewhere on the desk, so that code still reads.
    assert outcomes == ["unknown", "checked_in", "unknown", "unknown"]


def test_only_post(desk, workshop):
    assert desk.get(scan_url(workshop)).status_code == 405


def test_another_events_organiser_a_participant_and_anonymous_get_nothing(client, other_organiser, workshop, door):
    body = json.dumps({"code": door["confirmed"].checkin_code})
    response = client.post(scan_url(workshop), body, content_type="application/json")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user in (other_organiser, door["pending"].user):
        client.force_login(user)
        response = client.post(scan_url(workshop), body, content_type="application/json")
        assert response.status_code == 404
        assert b"Aisyah" not in response.content
    assert attended(workshop) == 0


def test_the_code_page_answers_in_words_and_colour_without_script(desk, workshop, door):
    page = desk.get(reverse("desk:checkin_code", args=[workshop.slug, door["declined"].checkin_code])).content
    page = page.decode()
    assert 'class="door-answer door-refused"' in page and "Do not admit" in page
    assert "Registration declined. Reason given: Nominated twice." in page
    assert "<button" not in page.split("</header>")[1]  # no check-in button, only the link back
    page = desk.get(reverse("desk:checkin_code", args=[workshop.slug, door["confirmed"].checkin_code])).content
    page = page.decode()
    assert 'class="door-answer door-ok"' in page and "May enter" in page and "Check in Aisyah Ismail" in page


def test_the_check_in_page_offers_the_scanner_to_script_and_search_to_everyone(desk, workshop, door):
    page = desk.get(reverse("desk:checkin", args=[workshop.slug])).content.decode()
    assert '<section id="scanner" class="scanner"' in page and "hidden" in page.split('id="scanner"')[1][:120]
    assert "/static/vendor/zxing/index.min.js" in page and "/static/js/checkin-scanner.js" in page
    assert 'name="q"' in page
