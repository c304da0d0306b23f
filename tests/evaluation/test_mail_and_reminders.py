"""Opening a survey sends its invitations through the delivery ledger; the
reminders go only to those who have not answered, and never twice; a
follow-up opens by itself months later, with its own reminders."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from evaluation import services
from evaluation.models import Invitation, Survey
from registrations import reminders
from registrations.models import Delivery

from .helpers import form_data

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def survey_mails(kind):
    return Delivery.objects.filter(kind=kind)


def link_in(message):
    return urlsplit(re.search(r"https?://\S+/surveys/\S+/", message.body).group(0)).path


def answer(client, message, survey, **values):
    response = client.post(link_in(message), form_data(survey, scale=4, **values))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_evaluation_does_not_open_before_the_event_has_ended(organiser, participants, ended):
    ended.ends_at = timezone.now() + timedelta(hours=2)
    ended.save()
    survey = services.create_survey(ended, Survey.Kind.EVALUATION, organiser)
    with pytest.raises(services.SurveyError, match="An evaluation opens only after the event has ended"):
        services.open_survey(survey, organiser)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT and not Invitation.objects.exists()
    assert not survey_mails(Delivery.Kind.SURVEY_INVITATION).exists()


def test_the_desk_refuses_opening_early_with_a_message(desk, organiser, participants, ended):
    ended.ends_at = timezone.now() + timedelta(hours=2)
    ended.save()
    survey = services.create_survey(ended, Survey.Kind.EVALUATION, organiser)
    from django.urls import reverse

    url = reverse("desk:survey_status", args=[ended.slug, survey.pk])
    assert "invitation goes to <strong>4 people</strong>" in desk.get(url, {"action": "open"}).content.decode()
    response = desk.post(url, {"action": "open"}, follow=True)
    assert "An evaluation opens only after the event has ended." in response.content.decode()


def test_opening_invites_every_seated_participant_by_mail_with_a_personal_link(client, opened, participants, ended):
    invited = set(Invitation.objects.filter(survey=opened).values_list("registration_id", flat=True))
    assert invited == {registration.pk for registration in participants}  # not the cancelled one
    assert reminders.send_due(now=opened.opens_at) == 4
    assert reminders.send_due(now=opened.opens_at + timedelta(minutes=5)) == 0
    assert sorted(message.to[0] for message in mail.outbox) == [f"delegate{n}@example.org" for n in range(4)]
    message = mail.outbox[0]
    assert message.subject == opened.title
    assert "The survey is anonymous: your answers are not linked to you" in message.body
    closes = opened.closes_at.astimezone(opened.event.tz)
    assert f"It closes on {closes.day} {closes:%b %Y, %H:%M} Auckland time" in message.body  # the venue's clock
    assert "Pacific/Auckland" in message.body
    assert 'href="http' in message.alternatives[0][0] and "Answer the survey" in message.alternatives[0][0]
    page = client.get(link_in(message)).content.decode()  # no sign-in needed
    assert "This survey is anonymous." in page and "How relevant was the event to your work?" in page
    links = {link_in(m) for m in mail.outbox}
    assert len(links) == 4  # one personal link each


def test_reminders_go_only_to_those_who_have_not_answered_and_never_twice(client, opened, participants):
    reminders.send_due(now=opened.opens_at)
    by_address = {message.to[0]: message for message in mail.outbox}
    answer(client, by_address["delegate0@example.org"], opened)
    answer(client, by_address["delegate1@example.org"], opened)
    mail.outbox.clear()

    assert reminders.send_due(now=opened.opens_at + 6 * DAY) == 0  # the first reminder is on day 7
    assert reminders.send_due(now=opened.opens_at + 7 * DAY) == 2
    assert reminders.send_due(now=opened.opens_at + 7 * DAY + timedelta(hours=1)) == 0  # run again: nothing twice
    assert sorted(m.to[0] for m in mail.outbox) == ["delegate2@example.org", "delegate3@example.org"]
    assert all(m.subject == f"Reminder: {opened.title}" for m in mail.outbox)
    assert "A reminder: we have not yet had your answers" in mail.outbox[0].body
    answer(client, next(m for m in mail.outbox if m.to == ["delegate2@example.org"]), opened)  # its link works too
    mail.outbox.clear()

    assert reminders.send_due(now=opened.opens_at + 14 * DAY) == 1
    assert reminders.send_due(now=opened.opens_at + 15 * DAY) == 0
    (last,) = mail.outbox
    assert last.to == ["delegate3@example.org"]
    reminded = survey_mails(Delivery.Kind.SURVEY_REMINDER)
    assert sorted(reminded.values_list("key", flat=True)) == sorted([f"{opened.pk}:7"] * 2 + [f"{opened.pk}:14"])


def test_a_reminder_planned_before_its_person_answered_is_skipped_with_a_reason(client, opened, participants):
    reminders.send_due(now=opened.opens_at)
    first = next(m for m in mail.outbox if m.to == ["delegate0@example.org"])
    day7 = opened.opens_at + 7 * DAY
    reminders.plan(day7)
    assert survey_mails(Delivery.Kind.SURVEY_REMINDER).count() == 4
    answer(client, first, opened)  # between planning and sending
    mail.outbox.clear()
    sent = 0
    while token := reminders.claim(day7):
        sent += reminders.send(token, day7)
    assert sent == 3 and participants[0].user.email not in [m.to[0] for m in mail.outbox]
    skipped = survey_mails(Delivery.Kind.SURVEY_REMINDER).get(registration=participants[0])
    assert skipped.status == Delivery.Status.SKIPPED and skipped.skip_reason == "already answered"


def test_a_closed_survey_sends_no_more_reminders(opened, participants, organiser):
    reminders.send_due(now=opened.opens_at)
    reminders.plan(opened.opens_at + 7 * DAY)
    services.close_survey(opened, organiser)
    mail.outbox.clear()
    assert reminders.send_due(now=opened.opens_at + 7 * DAY) == 0
    assert set(survey_mails(Delivery.Kind.SURVEY_REMINDER).values_list("skip_reason", flat=True)) == {
        "survey is closed"
    }


def test_a_follow_up_opens_by_itself_months_later_for_the_same_people_with_its_own_reminders(
    client, opened, participants, organiser, ended
):
    # Someone who registered after the evaluation went out is not asked a year on.
    follow_up = services.create_follow_up(ended, organiser, months=12, reminder_days=[10])
    services.schedule_survey(follow_up, organiser)
    follow_up.refresh_from_db()
    assert follow_up.scheduled and follow_up.status == Survey.Status.DRAFT
    reminders.send_due(now=opened.opens_at)
    mail.outbox.clear()

    assert reminders.send_due(now=follow_up.opens_at - timedelta(minutes=1)) == 0  # not a minute early
    follow_up.refresh_from_db()
    assert follow_up.status == Survey.Status.DRAFT
    assert reminders.send_due(now=follow_up.opens_at) == 4
    follow_up.refresh_from_db()
    assert follow_up.status == Survey.Status.OPEN
    assert {m.subject for m in mail.outbox} == {follow_up.title}
    assert set(Invitation.objects.filter(survey=follow_up).values_list("registration_id", flat=True)) == set(
        Invitation.objects.filter(survey=opened).values_list("registration_id", flat=True)
    )
    answer(client, mail.outbox[0], follow_up)
    mail.outbox.clear()
    assert reminders.send_due(now=follow_up.opens_at + 10 * DAY) == 3
    assert all(m.subject == f"Reminder: {follow_up.title}" for m in mail.outbox)


def test_send_due_reminders_command_opens_a_scheduled_survey(organiser, participants, ended):
    follow_up = services.create_follow_up(ended, organiser, months=1)
    services.schedule_survey(follow_up, organiser)
    Survey.objects.filter(pk=follow_up.pk).update(opens_at=timezone.now() - timedelta(minutes=1))
    call_command("send_due_reminders")
    follow_up.refresh_from_db()
    assert follow_up.status == Survey.Status.OPEN and len(mail.outbox) == 4


def test_a_survey_past_its_closing_time_closes_and_its_link_says_so(client, opened, participants):
    reminders.send_due(now=opened.opens_at)
    link = link_in(mail.outbox[0])
    services.open_due_surveys(now=opened.closes_at)
    opened.refresh_from_db()
    assert opened.status == Survey.Status.CLOSED
    page = client.get(link).content.decode()
    assert "This survey is closed" in page and "Send my answers" not in page
