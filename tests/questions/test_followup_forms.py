"""Follow-up forms: open only to seated participants, each their own;
editable until the due date; the desk sees who completed them; reminders
once each to those who have not, skipped if they complete it meanwhile."""

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.core import mail

from questions import services
from questions.models import Completion, Question
from registrations import reminders
from registrations.models import Delivery, Registration

from .conftest import ask, seat

pytestmark = pytest.mark.django_db
Kind = Question.Kind


@pytest.fixture
def arrival(workshop, organiser):
    form = services.save_followup_form(
        workshop,
        title="Arrival details",
        due_on=workshop.starts_at.astimezone(workshop.tz).date() - timedelta(days=3),
        reminder_days_before=[7, 1],
        actor=organiser,
    )
    ask(workshop, Kind.SHORT_TEXT, "Flight number", organiser, form=form, required=True)
    ask(workshop, Kind.YES_NO, "Airport pick-up?", organiser, form=form)
    return form


def url(registration, form):
    return f"/forms/{registration.uid}/{form.pk}/"


def fields(form, flight="NZ 701", pickup="yes"):
    flight_q, pickup_q = form.questions.order_by("position")
    return {f"question_{flight_q.pk}": flight, f"question_{pickup_q.pk}": pickup}


def test_a_seated_participant_is_asked_on_their_page_and_fills_it_in(client, workshop, arrival):
    registration = seat(workshop, "tama@example.org")
    client.force_login(registration.user)
    page = client.get(f"/registrations/{registration.uid}/").content.decode()
    assert "Please complete:" in page and "Arrival details" in page and url(registration, arrival) in page
    response = client.post(url(registration, arrival), fields(arrival))
    assert response.status_code == 302
    assert Completion.objects.filter(form=arrival, registration=registration).exists()
    page = client.get(f"/registrations/{registration.uid}/").content.decode()
    assert "Please complete:" not in page and "Arrival details: completed" in page
    # and changes it before the due date
    client.post(url(registration, arrival), fields(arrival, flight="SQ 281"))
    assert 'value="SQ 281"' in client.get(url(registration, arrival)).content.decode()


def test_a_missing_required_answer_gets_a_clear_message(client, workshop, arrival):
    registration = seat(workshop, "tama@example.org")
    client.force_login(registration.user)
    response = client.post(url(registration, arrival), fields(arrival, flight="", pickup="perhaps"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer this question." in page and "Choose yes or no." in page
    assert not Completion.objects.exists()


def test_the_form_is_not_open_to_waiting_or_pending_registrations_nor_to_anyone_else(client, workshop, arrival):
    waiting = seat(workshop, "wait@example.org", status=Registration.Status.WAITLISTED)
    client.force_login(waiting.user)
    assert client.get(url(waiting, arrival)).status_code == 404
    assert "Please complete" not in client.get(f"/registrations/{waiting.uid}/").content.decode()
    seated = seat(workshop, "tama@example.org")
    assert client.get(url(seated, arrival)).status_code == 404  # someone else's
    assert client.post(url(seated, arrival), fields(arrival)).status_code == 404
    assert not Completion.objects.exists()


def test_after_the_due_date_the_answers_are_shown_and_cannot_change(client, workshop, arrival, organiser):
    registration = seat(workshop, "tama@example.org")
    services.complete_form(
        arrival, registration, dict.fromkeys(arrival.questions.filter(kind="short_text"), "x"), actor=None
    )
    arrival.due_on = arrival.due_on.replace(year=2020)
    arrival.save()
    client.force_login(registration.user)
    page = client.post(url(registration, arrival), fields(arrival, flight="changed")).content.decode()
    assert "This form closed on" in page
    assert "changed" not in page


def at(form, days, hour=9):
    return datetime.combine(form.due_on - timedelta(days=days), time(hour), tzinfo=form.event.tz)


def test_reminders_go_once_each_only_to_seated_participants_who_have_not_completed_it(workshop, arrival):
    late = seat(workshop, "late@example.org")
    done = seat(workshop, "done@example.org")
    seat(workshop, "wait@example.org", status=Registration.Status.WAITLISTED)
    services.complete_form(arrival, done, fields_values(arrival), actor=done.user, now=at(arrival, 10))

    assert reminders.send_due(now=at(arrival, 8)) == 0
    assert reminders.send_due(now=at(arrival, 7)) == 1
    assert reminders.send_due(now=at(arrival, 7, hour=11)) == 0
    [reminder] = mail.outbox
    assert reminder.to == ["late@example.org"]
    assert "Arrival details" in reminder.subject and f"/forms/{late.uid}/{arrival.pk}/" in reminder.body
    assert reminders.send_due(now=at(arrival, 1)) == 1
    assert reminders.send_due(now=at(arrival, 1, hour=15)) == 0
    keys = sorted(Delivery.objects.filter(kind=Delivery.Kind.FOLLOWUP_REMINDER).values_list("key", "status"))
    assert keys == [(f"{arrival.pk}:1", "sent"), (f"{arrival.pk}:7", "sent")]


def fields_values(form):
    flight_q, pickup_q = form.questions.order_by("position")
    return {flight_q: "NZ 701", pickup_q: True}


def test_a_reminder_planned_before_the_form_was_completed_is_skipped_with_the_reason(workshop, arrival):
    registration = seat(workshop, "tama@example.org")
    reminders.plan(at(arrival, 7))
    row = Delivery.objects.get(kind=Delivery.Kind.FOLLOWUP_REMINDER)
    services.complete_form(arrival, registration, fields_values(arrival), actor=None, now=at(arrival, 7))
    reminders.send_due(now=at(arrival, 7))
    row.refresh_from_db()
    assert (row.status, row.skip_reason) == ("skipped", "already completed")
    assert not mail.outbox


def test_the_desk_sees_who_completed_it_with_the_answers_and_a_csv(desk, workshop, arrival):
    done = seat(workshop, "done@example.org", name="Dana Done")
    seat(workshop, "late@example.org", name="Leo Late")
    services.complete_form(arrival, done, fields_values(arrival), actor=None)
    page = desk.get(f"/desk/events/{workshop.slug}/follow-up-forms/{arrival.pk}/").content.decode()
    assert "Completed by 1 of 2" in page
    assert "Dana Done" in page and "NZ 701" in page and "Leo Late" in page and "not yet" in page
    export = desk.get(f"/desk/events/{workshop.slug}/follow-up-forms/{arrival.pk}/answers.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode().lstrip("\ufeff"))))
    assert rows[0] == ["Name", "E-mail", "Completed (UTC)", "Flight number", "Airport pick-up?"]
    assert rows[1][0] == "Dana Done" and rows[1][3:] == ["NZ 701", "Yes"]
    assert rows[2][0] == "Leo Late" and rows[2][2:] == ["", "", ""]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Hotel", "due_on": "next week"}, "Enter a date as YYYY-MM-DD"),
        ({"title": "Hotel", "due_on": "2031-01-10", "reminder_days_before": "7, soon"}, "Enter whole numbers of days"),
        ({"title": "Hotel", "due_on": "2031-01-10", "reminder_days_before": "90"}, "between 0 and 60"),
        ({"title": "", "due_on": "2031-01-10"}, "This field is required."),
    ],
)
def test_a_bad_follow_up_form_gets_a_clear_message(desk, workshop, data, message):
    response = desk.post(f"/desk/events/{workshop.slug}/follow-up-forms/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_organiser_creates_a_form_and_adds_its_questions(desk, workshop):
    response = desk.post(
        f"/desk/events/{workshop.slug}/follow-up-forms/",
        {"title": "Hotel", "due_on": "2031-01-10", "reminder_days_before": "1, 7"},
    )
    form = workshop.followup_forms.get()
    assert response["Location"] == f"/desk/events/{workshop.slug}/follow-up-forms/{form.pk}/"
    assert form.reminder_days_before == [7, 1]
    desk.post(
        f"/desk/events/{workshop.slug}/follow-up-forms/{form.pk}/questions/add/",
        {"kind": "choice", "label": "Hotel", "choices": "Hilton\nSkyCity"},
    )
    assert list(form.questions.values_list("label", "choices")) == [("Hotel", ["Hilton", "SkyCity"])]
    assert not Question.objects.filter(form__isnull=True).exists()


def test_a_reminder_of_a_cancelled_event_or_a_cancelled_registration_is_skipped(workshop, arrival):
    leaving = seat(workshop, "leaving@example.org")
    staying = seat(workshop, "staying@example.org")
    reminders.plan(at(arrival, 7))
    leaving.status = Registration.Status.CANCELLED
    leaving.save()
    reminders.send_due(now=at(arrival, 7))
    skipped = Delivery.objects.get(registration=leaving, kind=Delivery.Kind.FOLLOWUP_REMINDER)
    assert (skipped.status, skipped.skip_reason) == ("skipped", "registration is cancelled")
    assert [message.to for message in mail.outbox] == [["staying@example.org"]]

    reminders.plan(at(arrival, 1))
    workshop.status = workshop.Status.CANCELLED
    workshop.save()
    reminders.send_due(now=at(arrival, 1))
    row = Delivery.objects.get(registration=staying, key=f"{arrival.pk}:1")
    assert (row.status, row.skip_reason) == ("skipped", "event is cancelled")
