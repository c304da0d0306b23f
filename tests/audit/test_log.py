"""Every service that changes state appends who, when, what, before and after
and why to the audit log, in its own transaction; the log only grows."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import audit
from audit.models import AppendOnly, LogEntry
from desk.forms import EventForm
from events import services as event_services
from events.models import Event
from registrations import reminders, services
from registrations.models import Delivery, Registration

from ..factories import add_item

pytestmark = pytest.mark.django_db


def entries(action, **filters):
    return list(LogEntry.objects.filter(action=action, **filters).order_by("pk"))


def only(action, **filters):
    (entry,) = entries(action, **filters)
    return entry


@pytest.fixture
def open_event(event):
    """The Auckland workshop, open for registration now, one seat."""
    now = timezone.now()
    event.starts_at, event.ends_at, event.capacity = now + timedelta(days=30), now + timedelta(days=31), 1
    event.save()
    return event


def test_moving_a_delegate_off_a_seat_records_who_from_what_to_what_and_why(open_event, organiser, people):
    seated, waiting = (services.register(open_event, user) for user in people(2))
    services.move(seated, "waitlisted", "Seat goes to the head of delegation", actor=organiser)

    moved = only("registration.moved")
    assert moved.actor == organiser and moved.actor_label == "Test Person <organiser-a@example.org>"
    assert moved.event == open_event and moved.content_object == seated
    assert moved.object_label == "Delegate 0"
    assert moved.before == {"status": "confirmed"} and moved.after == {"status": "waitlisted"}
    assert moved.reason == "Seat goes to the head of delegation"
    assert timezone.now() - moved.at < timedelta(minutes=1)
    # The freed seat went to the waiting list: logged under who freed it.
    promoted = only("registration.promoted")
    assert (promoted.actor, promoted.object_id) == (organiser, waiting.pk)
    assert (promoted.before, promoted.after) == ({"status": "waitlisted"}, {"status": "confirmed"})
    assert promoted.reason == "A seat became free."


def test_registration_services_record_their_actor_and_change(open_event, organiser, people):
    first, second, third = people(3)
    open_event.approval_required_for = ["head_of_delegation"]
    open_event.save()
    head = services.register(open_event, first, participation_type="head_of_delegation")
    registered = only("registration.registered")
    assert registered.actor == first  # the participant registers themself
    assert registered.after == {"status": "pending", "participation_type": "head_of_delegation"}

    services.approve(head, actor=organiser, reason="Nominated by New Zealand")
    approved = only("registration.approved")
    assert (approved.actor, approved.before, approved.after) == (
        organiser,
        {"status": "pending"},
        {"status": "confirmed"},
    )
    assert approved.reason == "Nominated by New Zealand"

    other = services.register(open_event, second)  # waitlisted: one seat
    services.decline(other, "Not nominated", actor=organiser)
    declined = only("registration.declined")
    assert (declined.before, declined.after, declined.reason) == (
        {"status": "waitlisted"},
        {"status": "declined"},
        "Not nominated",
    )

    services.set_capacity(open_event, 3, actor=organiser)
    capacity = only("event.capacity_changed")
    assert (capacity.actor, capacity.before, capacity.after) == (organiser, {"capacity": 1}, {"capacity": 3})

    services.check_in(head, actor=organiser)
    checked = only("registration.checked_in")
    assert (checked.before, checked.after) == ({"status": "confirmed"}, {"status": "attended"})

    mine = services.register(open_event, third)
    services.cancel(mine, actor=third, reason="Cancelled by the participant.")
    cancelled = only("registration.cancelled")
    assert (cancelled.actor, cancelled.before, cancelled.after) == (
        third,
        {"status": "confirmed"},
        {"status": "cancelled"},
    )

    assert set(LogEntry.objects.values_list("event", flat=True)) == {open_event.pk}


def test_letters_and_erasure_are_logged_without_personal_data(open_event, organiser, people):
    (user,) = people(1)
    registration = services.register(
        open_event, user, invitation_letter=True, passport_name="DELEGATE ZERO", nationality="NZ",
        passport_number="LA0000042", date_of_birth="1980-01-01", dietary_needs="Halal",
    )  # fmt: skip
    services.issue_letter(registration, actor=organiser)
    services.issue_letter(registration, actor=organiser)  # the same letter: nothing new
    letter = only("registration.letter_issued")
    assert (letter.actor, letter.after) == (organiser, {"letter": 1})

    assert services.erase_personal_data(open_event) == 1
    erased = only("registration.personal_data_erased")
    assert erased.actor is None and erased.actor_label == "system"
    assert erased.after["registrations"] == 1
    stored = str(list(LogEntry.objects.values_list("before", "after", "reason", "object_label")))
    for secret in ("LA0000042", "DELEGATE ZERO", "Halal", "1980"):
        assert secret not in stored


def test_event_services_record_status_details_agenda_and_documents(event, organiser):
    event.status = Event.Status.DRAFT
    event.save()
    event_services.publish_event(event, actor=organiser)
    published = only("event.published")
    assert (published.actor, published.before, published.after) == (
        organiser,
        {"status": "draft"},
        {"status": "published"},
    )

    form = EventForm(instance=event)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = (
            field.widget.format_value(value) if hasattr(value, "strftime") else ("" if value is None else value)
        )
    data["reminder_offsets"] = "7d"
    data.update(title="Industrial Design Workshop (moved)", starts_at="2031-03-03T10:00")
    form = EventForm(data, instance=Event.objects.get(pk=event.pk))
    assert form.is_valid(), form.errors
    event_services.save_event(form, actor=organiser)
    changed = only("event.changed")
    assert changed.before["title"] == "Nz Workshop" and changed.after["title"] == "Industrial Design Workshop (moved)"
    assert changed.before["starts_at"] == "2031-03-02T20:00:00+00:00"  # 09:00 in Auckland, as UTC
    assert changed.after["starts_at"] == "2031-03-02T21:00:00+00:00"
    assert "venue" not in changed.after  # unchanged fields are not repeated

    add_item(event, "Opening", event.starts_at.astimezone(event.tz))
    version = event_services.publish_agenda(event, actor=organiser, note="Provisional")
    agenda = only("agenda.published")
    assert (agenda.actor, agenda.after["version"], agenda.reason, agenda.content_object) == (
        organiser,
        1,
        "Provisional",
        version,
    )

    pdf = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%%EOF\n")
    document = event_services.add_document(event, "Minutes", pdf, "application/pdf", "public", actor=organiser)
    added = only("document.added")
    assert added.after["number"] == document.number and added.after["file"] == "minutes.pdf"
    event_services.replace_document(
        document, SimpleUploadedFile("minutes-v2.pdf", b"%PDF-1.4\n%%EOF\n"), "application/pdf", actor=organiser
    )
    replaced = only("document.replaced")
    assert (replaced.before, replaced.after) == (
        {"revision": 1, "file": "minutes.pdf"},
        {"revision": 2, "file": "minutes-v2.pdf"},
    )

    event_services.cancel_event(event, actor=organiser, reason="Venue unavailable")
    cancelled = only("event.cancelled")
    assert (cancelled.before, cancelled.after, cancelled.reason) == (
        {"status": "published"},
        {"status": "cancelled"},
        "Venue unavailable",
    )


def test_trying_a_failed_mail_again_is_logged(open_event, organiser, people):
    (user,) = people(1)
    registration = services.register(open_event, user)
    delivery = Delivery.objects.filter(registration=registration).first()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, attempts=5, last_error="550 no such user"
    )
    delivery = Delivery.objects.select_related("registration__user").get(pk=delivery.pk)
    assert reminders.try_again(delivery, actor=organiser)
    retried = only("delivery.retried")
    assert (retried.actor, retried.before, retried.after) == (
        organiser,
        {"status": "failed", "attempts": 5},
        {"status": "pending", "attempts": 0},
    )
    assert retried.reason == "550 no such user"


def test_entries_cannot_be_changed_or_deleted(open_event, organiser, people):
    (user,) = people(1)
    services.register(open_event, user)
    entry = LogEntry.objects.get()
    entry.reason = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        LogEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnly):
        LogEntry.objects.all().delete()
    with pytest.raises(AppendOnly), transaction.atomic():
        LogEntry.objects.bulk_update([entry], ["reason"])
    assert LogEntry.objects.get().reason == ""


def test_a_change_rolled_back_leaves_no_entry(open_event, organiser, people):
    (user,) = people(1)
    registration = services.register(open_event, user)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.cancel(registration, actor=organiser)
        raise RuntimeError("the caller's transaction fails later")
    assert entries("registration.cancelled") == []
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_record_keeps_only_changed_fields_and_plain_values(event, organiser):
    entry = audit.record(
        organiser, "event.changed", event=event, obj=event,
        before={"title": "Old", "capacity": 10, "status": Event.Status.DRAFT},
        after={"title": "New", "capacity": 10, "status": Event.Status.PUBLISHED},
    )  # fmt: skip
    entry.refresh_from_db()
    assert entry.before == {"title": "Old", "status": "draft"}
    assert entry.after == {"title": "New", "status": "published"}
    assert audit.record(None, "event.changed", event=event.pk).actor_label == "system"


def test_bulk_decisions_log_each_registration_in_one_insert(open_event, organiser, people):
    open_event.approval_required_for = ["delegate"]
    open_event.capacity = None
    open_event.save()
    pending = [services.register(open_event, user) for user in people(5)]
    with CaptureQueriesContext(connection) as queries:
        services.decide_many(open_event, [r.uid for r in pending], "approve", actor=organiser, reason="Nominated")
    inserts = [q["sql"] for q in queries.captured_queries if 'INSERT INTO "audit_logentry"' in q["sql"]]
    assert len(inserts) == 1
    approved = entries("registration.approved")
    assert [(e.object_id, e.actor, e.before, e.after, e.reason) for e in approved] == [
        (r.pk, organiser, {"status": "pending"}, {"status": "confirmed"}, "Nominated") for r in pending
    ]


def test_seating_above_capacity_is_logged_as_an_override(open_event, organiser, people):
    _seated, waiting = (services.register(open_event, user) for user in people(2))
    services.seat_above_capacity(waiting, actor=organiser, reason="Head of delegation arrived late")
    override = only("registration.seated_over_capacity")
    assert override.actor == organiser and override.reason == "Head of delegation arrived late"
    assert override.before == {"status": "waitlisted"}
    assert override.after == {"status": "confirmed", "seats_taken": 2, "capacity": 1}
