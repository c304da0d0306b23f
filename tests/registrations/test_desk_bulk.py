"""The registrations desk at a busy table: decisions on many rows at once with
one reason, a warning before approving onto a full event, next/previous
through the filtered list, seating a chosen person above capacity, statuses
in colour and words, times in the venue's zone, one "Name badges" action."""

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from audit.models import LogEntry
from events import rendered_lists
from registrations import services
from registrations.models import Delivery, GeneratedDocument, OrganiserMessage, Registration

pytestmark = pytest.mark.django_db


def pending_people(workshop, people, count, prefix="applicant"):
    """``count`` registrations waiting for approval, in queue order."""
    workshop.approval_required_for = ["delegate"]
    workshop.save()
    return [services.register(workshop, user) for user in people(count, prefix)]


def bulk(desk, workshop, registrations, action, follow=True, **fields):
    data = {"registration": [str(r.uid) for r in registrations], "action": action, **fields}
    return desk.post(f"/desk/events/{workshop.slug}/registrations/bulk/", data, follow=follow)


def statuses(registrations):
    return [Registration.objects.get(pk=r.pk).status for r in registrations]


def mails(registrations):
    return sorted(
        Delivery.objects.filter(registration__in=registrations, payload__mail__isnull=False)
        .exclude(payload__mail="pending")
        .values_list("payload__mail", flat=True)
    )


def test_bulk_approve_gives_everyone_the_one_reason_and_a_mail(desk, workshop, people):
    workshop.capacity = 5
    workshop.save()
    applicants = pending_people(workshop, people, 4)
    response = bulk(desk, workshop, applicants[:3], "approve", reason="Nominated by the economy")
    assert "3 approved." in response.content.decode()
    assert statuses(applicants) == ["confirmed"] * 3 + ["pending"]
    assert {Registration.objects.get(pk=r.pk).status_reason for r in applicants[:3]} == {"Nominated by the economy"}
    assert mails(applicants) == ["approved"] * 3
    # Each decision is in the log under the organiser's name.
    assert LogEntry.objects.filter(action="registration.approved", reason="Nominated by the economy").count() == 3


def test_approving_more_than_the_free_seats_asks_first(desk, workshop, people):
    applicants = pending_people(workshop, people, 4)  # capacity 2
    response = bulk(desk, workshop, applicants, "approve", reason="Nominated")
    page = response.content.decode()
    assert "The event is full" in page and "2 seats free for 4 approvals" in page
    assert "the other 2 on the waiting list" in page
    assert statuses(applicants) == ["pending"] * 4 and mails(applicants) == []  # nothing changed yet

    response = bulk(desk, workshop, applicants, "approve", reason="Nominated", confirm_full="1")
    assert "2 approved, 2 waitlisted because the event is full." in response.content.decode()
    assert statuses(applicants) == ["confirmed", "confirmed", "waitlisted", "waitlisted"]  # queue order
    assert mails(applicants) == ["approved", "approved", "waitlisted", "waitlisted"]


def test_a_single_approval_onto_a_full_event_asks_first(desk, workshop, people):
    (first, second, third) = pending_people(workshop, people, 3)
    bulk(desk, workshop, [first, second], "approve")
    url = f"/desk/events/{workshop.slug}/registrations/{third.uid}/approve/?status=pending"
    page = desk.post(url, {"reason": ""}).content.decode()
    assert "No seat is free" in page and 'name="confirm_full" value="1"' in page
    assert statuses([third]) == ["pending"]
    response = desk.post(url, {"reason": "", "confirm_full": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"/{third.uid}/?status=pending")
    assert statuses([third]) == ["waitlisted"]


def test_bulk_decline_and_move_with_one_reason(desk, workshop, people):
    workshop.capacity = 10
    workshop.save()
    applicants = pending_people(workshop, people, 4)
    bulk(desk, workshop, applicants[:2], "decline", reason="Not nominated")
    assert statuses(applicants[:2]) == ["declined", "declined"]
    assert {Registration.objects.get(pk=r.pk).status_reason for r in applicants[:2]} == {"Not nominated"}

    response = bulk(desk, workshop, applicants[2:], "move", to_status="waitlisted")
    assert "Give a reason" in response.content.decode()
    assert statuses(applicants[2:]) == ["pending", "pending"]

    response = bulk(desk, workshop, applicants[2:], "move", to_status="waitlisted", reason="Room smaller")
    assert "2 moved to waitlisted." in response.content.decode()
    assert statuses(applicants) == ["declined", "declined", "waitlisted", "waitlisted"]
    assert mails(applicants) == ["declined", "declined", "waitlisted", "waitlisted"]
    page = bulk(desk, workshop, applicants[1:], "move", to_status="waitlisted", reason="Again").content.decode()
    assert "1 moved to waitlisted, 2 left as they were." in page
    assert "Left as they were: Delegate 2 (it is already waitlisted); Delegate 3 (it is already waitlisted)." in page


def test_seats_freed_by_a_bulk_move_go_to_the_waiting_list_once(desk, workshop, people):
    seated = [services.register(workshop, user) for user in people(4)]  # 2 confirmed, 2 waitlisted
    bulk(desk, workshop, seated[:2], "move", to_status="cancelled", reason="Travel cancelled")
    assert statuses(seated) == ["cancelled", "cancelled", "confirmed", "confirmed"]


def test_rows_of_another_event_are_left_alone(desk, workshop, other_event, people, client):
    (applicant,) = pending_people(workshop, people, 1)
    other_event.status = "published"
    other_event.approval_required_for = ["delegate"]
    other_event.save()
    (stranger,) = [services.register(other_event, user) for user in people(1, "stranger")]
    response = bulk(desk, workshop, [applicant, stranger], "decline", reason="Late")
    assert "1 of the chosen registrations is not of this event" in response.content.decode()
    assert statuses([applicant, stranger]) == ["declined", "pending"]
    # The other event's desk is not this organiser's: 404, as if it did not exist.
    assert bulk(desk, other_event, [stranger], "decline", follow=False, reason="x").status_code == 404
    assert statuses([stranger]) == ["pending"]


def test_a_batch_locks_the_event_once(desk, workshop, people, monkeypatch):
    workshop.capacity = None
    workshop.save()
    applicants = pending_people(workshop, people, 20)
    locks = []
    original = services._locked_event

    def counting(event):
        locks.append(event.pk)
        return original(event)

    monkeypatch.setattr(services, "_locked_event", counting)
    outcome = services.decide_many(workshop, [r.uid for r in applicants], "approve", actor=None)
    assert outcome.count("confirmed") == 20 and locks == [workshop.pk]


def test_bulk_message_opens_the_message_page_with_those_recipients(desk, workshop, people):
    registrations = [services.register(workshop, user) for user in people(4)]
    response = bulk(desk, workshop, registrations[1:3], "message", follow=False)
    location = urlsplit(response["Location"])
    assert location.path == f"/desk/events/{workshop.slug}/messages/"
    assert sorted(parse_qs(location.query)["to"]) == sorted(str(r.uid) for r in registrations[1:3])
    page = desk.get(response["Location"]).content.decode()
    assert "To the 2 registrations you ticked" in page
    assert "Delegate 1" in page and "Delegate 2" in page and "Delegate 3" not in page
    to = [str(r.uid) for r in registrations[1:3]]
    desk.post(location.path, {"subject": "Your visa", "body": "Bring the letter.", "to": to})
    message = OrganiserMessage.objects.get()
    assert message.recipients == 2
    assert set(Delivery.objects.filter(kind="organiser_message").values_list("registration", flat=True)) == {
        registrations[1].pk,
        registrations[2].pk,
    }


def test_next_and_previous_walk_the_filtered_list(desk, workshop, people):
    registrations = [services.register(workshop, user) for user in people(5)]  # 2 confirmed, 3 waitlisted
    listing = desk.get(f"/desk/events/{workshop.slug}/registrations/?status=waitlisted").content.decode()
    first, second, third = registrations[2:]
    assert f"/registrations/{first.uid}/?status=waitlisted" in listing
    page = desk.get(f"/desk/events/{workshop.slug}/registrations/{second.uid}/?status=waitlisted").content.decode()
    assert f'href="/desk/events/{workshop.slug}/registrations/{first.uid}/?status=waitlisted" rel="prev"' in page
    assert f'href="/desk/events/{workshop.slug}/registrations/{third.uid}/?status=waitlisted" rel="next"' in page
    assert "2 of 3 in the filtered list" in page
    # Unfiltered, the neighbours are the confirmed ones too.
    page = desk.get(f"/desk/events/{workshop.slug}/registrations/{first.uid}/").content.decode()
    assert f"/registrations/{registrations[1].uid}/" in page and "3 of 5" in page
    # A decision returns to the same place in the same list.
    response = desk.post(
        f"/desk/events/{workshop.slug}/registrations/{second.uid}/move/?status=waitlisted",
        {"move-status": "cancelled", "move-reason": "Withdrew"},
    )
    assert response["Location"] == f"/desk/events/{workshop.slug}/registrations/{second.uid}/?status=waitlisted"


def test_seating_a_chosen_waitlisted_person_above_capacity(desk, workshop, people, client, other_organiser):
    registrations = [services.register(workshop, user) for user in people(4)]  # capacity 2
    chosen = registrations[3]  # second on the waiting list
    url = f"/desk/events/{workshop.slug}/registrations/{chosen.uid}/seat-above-capacity/"
    page = desk.get(f"/desk/events/{workshop.slug}/registrations/{chosen.uid}/").content.decode()
    assert "Seat above capacity" in page and "2 of 2 seats are taken" in page

    response = desk.post(url, {"override-reason": ""})
    assert response.status_code == 400 and statuses([chosen]) == ["waitlisted"]

    response = desk.post(url, {"override-reason": "Head of delegation of the host economy"}, follow=True)
    assert "now confirmed, above capacity" in response.content.decode()
    assert statuses(registrations) == ["confirmed", "confirmed", "waitlisted", "confirmed"]
    assert services.seats_taken(workshop) == 3 and workshop.capacity == 2
    assert Registration.objects.get(pk=chosen.pk).status_reason == "Head of delegation of the host economy"
    entry = LogEntry.objects.get(action="registration.seated_over_capacity")
    assert entry.reason == "Head of delegation of the host economy" and entry.object_id == chosen.pk
    assert entry.actor is not None and entry.after["capacity"] == 2
    assert mails([chosen]) == ["approved", "waitlisted"]

    # Only for someone on the waiting list; only the event's organisers.
    again = desk.post(url, {"override-reason": "Twice"}, follow=True).content.decode()
    assert "Only someone on the waiting list" in again
    client.force_login(other_organiser)
    assert (
        client.post(
            f"/desk/events/{workshop.slug}/registrations/{registrations[2].uid}/seat-above-capacity/",
            {"override-reason": "x"},
        ).status_code
        == 404
    )
    assert statuses([registrations[2]]) == ["waitlisted"]


def test_statuses_read_in_words_and_colour(desk, workshop, people):
    services.register(workshop, people(1)[0])
    page = desk.get(f"/desk/events/{workshop.slug}/registrations/").content.decode()
    assert '<span class="status status-confirmed">Confirmed</span>' in page
    assert 'id="select-all" data-select-all="registration"' in page
    assert re.search(r'<label for="pick-[0-9a-f-]+" class="visually-hidden">Tick Delegate 0</label>', page)


def test_desk_times_are_in_the_venue_zone_across_daylight_saving(desk, workshop, people):
    before, after = [services.register(workshop, user) for user in people(2)]
    # New Zealand leaves daylight saving on Sunday 6 April 2031.
    Registration.objects.filter(pk=before.pk).update(created_at=datetime(2031, 4, 5, 1, 5, tzinfo=UTC))
    Registration.objects.filter(pk=after.pk).update(created_at=datetime(2031, 4, 7, 1, 5, tzinfo=UTC))
    page = desk.get(f"/desk/events/{workshop.slug}/registrations/").content.decode()
    assert "5 Apr 2031, 14:05 Auckland time (UTC+13)" in page
    assert "7 Apr 2031, 13:05 Auckland time (UTC+12)" in page
    assert " UTC<" not in page
    Registration.objects.filter(pk=before.pk).update(
        status="attended", checked_in_at=datetime(2031, 4, 7, 1, 5, tzinfo=UTC)
    )
    detail = desk.get(f"/desk/events/{workshop.slug}/registrations/{before.uid}/").content.decode()
    assert "<dt>Checked in</dt><dd>7 Apr 2031, 13:05 Auckland time (UTC+12)</dd>" in detail


def test_name_badges_at_once_when_few_in_the_background_when_many(desk, workshop, people, monkeypatch):
    monkeypatch.setattr(rendered_lists, "INLINE_RENDER_LIMIT", 1)
    _first, second = [services.register(workshop, user) for user in people(2)]
    url = f"/desk/events/{workshop.slug}/badges.pdf"
    services.cancel(second, actor=None)
    response = desk.get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert GeneratedDocument.objects.count() == 0

    services.register(workshop, people(1, "late")[0])  # two seated now: more than the limit
    response = desk.get(url)
    job = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/events/{workshop.slug}/files/{job.pk}/"
    assert (job.kind, job.items, job.status) == ("badges", 2, "queued")
    # A second click while it is being prepared follows the same job.
    assert desk.get(url)["Location"] == response["Location"]
    assert GeneratedDocument.objects.count() == 1
    assert job.requested_at <= timezone.now()


def test_registrations_page_query_count_is_the_same_for_20_and_200_rows(
    desk, workshop, people, django_assert_num_queries
):
    workshop.capacity = None
    workshop.save()
    now = timezone.now()

    def add(count, prefix):
        Registration.objects.bulk_create(
            Registration(event=workshop, user=user, status="confirmed", queued_at=now, economy="NZ")
            for user in people(count, prefix)
        )

    add(20, "twenty")
    with django_assert_num_queries(7) as twenty:
        desk.get(f"/desk/events/{workshop.slug}/registrations/?status=confirmed")
    add(180, "more")
    with django_assert_num_queries(len(twenty)):
        desk.get(f"/desk/events/{workshop.slug}/registrations/?status=confirmed")
