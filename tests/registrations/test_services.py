from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from events.models import Event
from registrations import services
from registrations.models import Registration

from ..factories import make_user

pytestmark = pytest.mark.django_db
Status = Registration.Status


def statuses(event):
    return list(Registration.objects.filter(event=event).order_by("queued_at", "pk").values_list("status", flat=True))


def test_seats_then_waiting_list_in_arrival_order(workshop, people):
    results = [services.register(workshop, user) for user in people(4)]
    assert [r.status for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.pk for r in services.waiting_list(workshop)] == [results[2].pk, results[3].pk]


def test_answers_default_from_the_profile(workshop):
    user = make_user("nz@example.org", economy="NZ")
    user.profile.organisation = "IPONZ"
    user.profile.save()
    registration = services.register(workshop, user)
    assert (registration.economy, registration.organisation) == ("NZ", "IPONZ")
    assert registration.participation_type == "delegate"
    assert registration.privacy_consent_at is not None


def test_approval_required_for_some_participation_types(workshop, people):
    workshop.approval_required_for = ["delegate"]
    workshop.save()
    delegate, speaker = people(2)
    assert services.register(workshop, delegate).status == "pending"
    assert services.register(workshop, speaker, participation_type="speaker").status == "confirmed"


def test_registering_twice_is_refused_clearly(workshop, people):
    (user,) = people(1)
    services.register(workshop, user)
    with pytest.raises(services.RegistrationRefused, match="already registered for this event"):
        services.register(workshop, user)
    assert Registration.objects.filter(event=workshop, user=user).count() == 1


def test_database_forbids_two_registrations_per_person_and_event(workshop, people):
    (user,) = people(1)
    services.register(workshop, user)
    with pytest.raises(IntegrityError):
        Registration.objects.create(event=workshop, user=user, queued_at=timezone.now())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Event.Status.DRAFT}, "not open for registration"),
        ({"status": Event.Status.CANCELLED}, "This event is cancelled"),
        ({"registration_opens_at": timezone.now() + timedelta(days=3)}, "Registration opens on"),
        ({"registration_closes_at": timezone.now() - timedelta(days=1)}, "Registration for this event has closed."),
    ],
)
def test_registration_outside_window_or_for_unpublished_events_is_refused(workshop, people, change, message):
    Event.objects.filter(pk=workshop.pk).update(**change)
    (user,) = people(1)
    with pytest.raises(services.RegistrationRefused, match=message):
        services.register(workshop, user)
    assert not Registration.objects.exists()


def test_past_event_is_refused(workshop, people):
    Event.objects.filter(pk=workshop.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(services.RegistrationRefused, match="already taken place"):
        services.register(workshop, people(1)[0])


def test_cancelling_a_seat_promotes_the_first_waitlisted(workshop, people):
    first, _, third, fourth = (services.register(workshop, user) for user in people(4))
    services.cancel(first, actor=None)
    assert Registration.objects.get(pk=third.pk).status == "confirmed"
    assert Registration.objects.get(pk=fourth.pk).status == "waitlisted"
    assert Registration.objects.get(pk=first.pk).status == "cancelled"


def test_cancelling_from_the_waiting_list_promotes_nobody(workshop, people):
    registrations = [services.register(workshop, user) for user in people(4)]
    services.cancel(registrations[3], actor=None)
    assert statuses(workshop) == ["confirmed", "confirmed", "waitlisted", "cancelled"]


def test_cancelled_person_can_register_again_at_the_end_of_the_queue(workshop, people):
    users = people(4)
    registrations = [services.register(workshop, user) for user in users]
    services.cancel(registrations[0], actor=None)  # seat goes to users[2]
    again = services.register(workshop, users[0])
    assert again.pk == registrations[0].pk and again.status == "waitlisted"
    assert [r.user for r in services.waiting_list(workshop)] == [users[3], users[0]]


def test_cancel_twice_and_cancel_after_attendance_are_refused(workshop, people):
    one, two = (services.register(workshop, user) for user in people(2))
    services.cancel(one, actor=None)
    with pytest.raises(services.RegistrationRefused, match="already cancelled"):
        services.cancel(one, actor=None)
    services.check_in(two, actor=None)
    with pytest.raises(services.RegistrationRefused, match="Attendance has been recorded"):
        services.cancel(two, actor=None)


def test_raising_capacity_promotes_and_lowering_never_unseats(workshop, people):
    registrations = [services.register(workshop, user) for user in people(5)]
    _, promoted = services.set_capacity(workshop, 4, actor=None)
    assert [r.pk for r in promoted] == [registrations[2].pk, registrations[3].pk]
    with pytest.raises(services.RegistrationRefused, match="4 seats are already taken"):
        services.set_capacity(workshop, 3, actor=None)
    assert statuses(workshop).count("confirmed") == 4  # nobody loses a seat
    services.cancel(registrations[0], actor=None)  # the freed seat goes to the last waiting person
    services.cancel(registrations[1], actor=None)
    event, promoted = services.set_capacity(workshop, 3, actor=None)
    assert event.capacity == 3 and promoted == []
    assert statuses(workshop).count("confirmed") == 3


def test_unlimited_capacity_confirms_everyone_and_empties_the_waiting_list(workshop, people):
    for user in people(3):
        services.register(workshop, user)
    services.set_capacity(workshop, None, actor=None)
    assert statuses(workshop) == ["confirmed"] * 3
    assert services.register(workshop, make_user("late@example.org")).status == "confirmed"


def test_approve_gives_a_seat_or_the_waiting_list(workshop, people):
    workshop.approval_required_for = ["head_of_delegation"]
    workshop.save()
    heads = [services.register(workshop, u, participation_type="head_of_delegation") for u in people(3, "head")]
    assert services.approve(heads[0], actor=None).status == "confirmed"
    assert services.approve(heads[1], actor=None).status == "confirmed"
    assert services.approve(heads[2], actor=None).status == "waitlisted"
    with pytest.raises(services.RegistrationRefused, match="Only pending"):
        services.approve(heads[0], actor=None)


def test_decline_frees_the_seat(workshop, people):
    registrations = [services.register(workshop, user) for user in people(3)]
    declined = services.decline(registrations[0], "Not nominated by the economy.", actor=None)
    assert declined.status == "declined" and declined.status_reason == "Not nominated by the economy."
    assert Registration.objects.get(pk=registrations[2].pk).status == "confirmed"


def test_move_needs_a_reason_and_never_overbooks(workshop, people):
    registrations = [services.register(workshop, user) for user in people(3)]
    with pytest.raises(services.RegistrationRefused, match="Give a reason"):
        services.move(registrations[2], "confirmed", " ", actor=None)
    with pytest.raises(services.RegistrationRefused, match="No seat is free"):
        services.move(registrations[2], "confirmed", "VIP", actor=None)
    with pytest.raises(services.RegistrationRefused, match="Choose pending"):
        services.move(registrations[2], "attended", "x", actor=None)
    moved = services.move(registrations[0], "waitlisted", "Swap with the head of delegation", actor=None)
    # The freed seat goes to the first in the queue, who was waiting longer.
    assert moved.status == "waitlisted"
    assert Registration.objects.get(pk=registrations[2].pk).status == "confirmed"
    assert [r.pk for r in services.waiting_list(workshop)] == [registrations[0].pk]


def test_check_in_marks_attendance_once(workshop, people):
    registration = services.register(workshop, people(1)[0])
    checked, new = services.check_in(registration, actor=None)
    assert new and checked.status == "attended" and checked.checked_in_at is not None
    again, new = services.check_in(registration, actor=None)
    assert not new and again.checked_in_at == checked.checked_in_at


def test_only_confirmed_people_can_check_in(workshop, people):
    registrations = [services.register(workshop, user) for user in people(3)]
    with pytest.raises(services.RegistrationRefused, match="Only confirmed participants"):
        services.check_in(registrations[2], actor=None)


def test_letter_data_is_dropped_when_no_letter_is_wanted_and_erased_after_the_event(workshop, people):
    first, second = people(2)
    no_letter = services.register(workshop, first, passport_number="X1234567", invitation_letter=False)
    assert no_letter.passport_number == ""
    letter = services.register(
        workshop, second, invitation_letter=True, passport_name="DELEGATE ONE", nationality="Peru",
        passport_number="P7654321", date_of_birth=timezone.localdate() - timedelta(days=365 * 40),
    )  # fmt: skip
    assert letter.passport_number == "P7654321"
    assert services.erase_personal_data(workshop) == 1
    letter.refresh_from_db()
    assert (letter.passport_number, letter.passport_name, letter.date_of_birth) == ("", "", None)


def test_unknown_answers_are_a_programming_error(workshop, people):
    with pytest.raises(TypeError, match="Unknown registration answers: shoe_size"):
        services.register(workshop, people(1)[0], shoe_size=44)


def test_passport_details_are_erased_a_month_after_the_event(workshop, people):
    registration = services.register(
        workshop, people(1)[0], invitation_letter=True, passport_name="A B", nationality="Chile",
        passport_number="C123", date_of_birth=timezone.localdate().replace(year=1970),
    )  # fmt: skip
    assert services.erase_personal_data_of_past_events(now=workshop.ends_at + timedelta(days=29)) == []
    assert services.erase_personal_data_of_past_events(now=workshop.ends_at + timedelta(days=31)) == [(workshop, 1)]
    registration.refresh_from_db()
    assert registration.passport_number == "" and registration.invitation_letter is True
