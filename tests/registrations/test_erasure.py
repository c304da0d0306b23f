"""Dietary and accessibility needs and passport details are erased after the
event (README "Personal data"), and afterwards no page, export, letter, badge
or list shows them."""

import csv
import io
import logging
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from registrations import services, tasks
from registrations.models import Registration

from ..documents.test_programme import pdf_text
from ..factories import make_event, make_venue

pytestmark = pytest.mark.django_db

PASSPORT = "PASSPORT-ZX81"
DIETARY = "no-peanuts-ZX81"
ACCESS = "wheelchair-ZX81"
PASSPORT_NAME = "NAME-ZX81"
NATIONALITY = "Nation-ZX81"
BORN = date(1961, 8, 17)
ERASED = (PASSPORT, DIETARY, ACCESS, PASSPORT_NAME, NATIONALITY, "ZX81", "1961-08-17", "17 August 1961", "17 Aug 1961")


def absent(text):
    return [value for value in ERASED if value in text]


@pytest.fixture
def held(workshop, people):
    """A confirmed registration with every kind of personal data, its letter issued."""
    (user,) = people(1)
    registration = services.register(
        workshop, user, economy="NZ", organisation="IPONZ", dietary_needs=DIETARY, accessibility_needs=ACCESS,
        invitation_letter=True, passport_name=PASSPORT_NAME, nationality=NATIONALITY, passport_number=PASSPORT,
        date_of_birth=BORN,
    )  # fmt: skip
    assert registration.status == Registration.Status.CONFIRMED
    services.issue_letter(registration, actor=None)
    return registration


def move_into_past(event, days_ago):
    ends = timezone.now() - timedelta(days=days_ago)
    type(event).objects.filter(pk=event.pk).update(starts_at=ends - timedelta(hours=7), ends_at=ends)
    event.refresh_from_db()


def everything_shown(client, organiser, registration, tmp_path):
    """Every page, export and document that shows a registration, as text:
    (name, text) pairs; the letter as (name, status code, text)."""
    event = registration.event
    client.force_login(organiser)
    desk = f"/desk/events/{event.slug}"
    shown = {
        "desk registration page": client.get(f"{desk}/registrations/{registration.uid}/").content.decode(),
        "desk registrations list": client.get(f"{desk}/registrations/").content.decode(),
        "CSV export": client.get(f"{desk}/registrations.csv").content.decode("utf-8-sig"),
    }
    workbook = load_workbook(io.BytesIO(client.get(f"{desk}/registrations.xlsx").content))
    shown["XLSX export"] = "\n".join(
        str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
    )
    shown["badge sheet"] = pdf_text(client.get(f"{desk}/badges.pdf").content, tmp_path, layout=False)
    shown["participants list"] = pdf_text(client.get(f"{desk}/participants.pdf").content, tmp_path)
    letters = {"desk letter": client.get(f"{desk}/registrations/{registration.uid}/letter.pdf")}
    client.force_login(registration.user)
    shown["own registration page"] = client.get(f"/registrations/{registration.uid}/").content.decode()
    shown["own registrations list"] = client.get("/registrations/").content.decode()
    letters["own letter"] = client.get(f"/registrations/{registration.uid}/letter.pdf")
    for name, response in letters.items():
        shown[name] = pdf_text(response.content, tmp_path) if response.status_code == 200 else ""
    return shown, {name: response.status_code for name, response in letters.items()}


def test_after_erasure_no_page_export_letter_badge_or_list_shows_the_values(
    client, organiser, workshop, held, tmp_path, capsys
):
    shown, letters = everything_shown(client, organiser, held, tmp_path)
    # Before: the values are where they normally appear, so the scan below can fail.
    passport = {PASSPORT, PASSPORT_NAME, NATIONALITY}
    expected = {
        "desk registration page": {DIETARY, ACCESS, "17 August 1961", *passport},
        "CSV export": {DIETARY, ACCESS, "1961-08-17", *passport},
        "XLSX export": {DIETARY, ACCESS, "1961-08-17", *passport},
        "own registration page": {DIETARY, ACCESS, "17 August 1961", *passport},
        "desk letter": {"17 August 1961", *passport},
        "own letter": {"17 August 1961", *passport},
    }
    assert {name: set(absent(shown[name])) >= values for name, values in expected.items()} == dict.fromkeys(
        expected, True
    )
    assert letters == {"desk letter": 200, "own letter": 200}
    # Badges and lists never print these; our person is on both, so both are scanned after.
    assert "IPONZ" in shown["badge sheet"] and "IPONZ" in shown["participants list"]

    move_into_past(workshop, days_ago=settings.PERSONAL_DATA_RETENTION.days + 1)
    call_command("erase_personal_data")
    assert "Erased the personal data of 1 registration of 1 event:" in capsys.readouterr().out

    shown, letters = everything_shown(client, organiser, held, tmp_path)
    assert {name: absent(text) for name, text in shown.items()} == {name: [] for name in shown}
    assert letters == {"desk letter": 404, "own letter": 404}  # refused: nothing left to print
    with pytest.raises(services.RegistrationRefused, match="erased after the event"):
        services.issue_letter(held, actor=None)
    # Said to be erased, not blank as if never given; what reports need stays.
    erased_on = timezone.localdate(Registration.objects.get(pk=held.pk).personal_data_erased_at)
    assert shown["desk registration page"].count(f"Erased after the event on {erased_on:%-d %B %Y}") == 2
    assert f"passport details erased after the event on {erased_on:%-d %B %Y}" in shown["desk registration page"]
    assert "IPONZ" in shown["desk registration page"]
    row = list(csv.reader(io.StringIO(shown["CSV export"])))[1]
    assert (
        row[6:13]
        == [f"erased after the event on {erased_on:%Y-%m-%d}"] * 2
        + ["yes"]
        + [f"erased after the event on {erased_on:%Y-%m-%d}"] * 4
    )
    assert (row[0], row[2], row[4], row[5]) == ("Delegate 0", "Confirmed", "New Zealand", "IPONZ")
    assert "were erased after the event" in shown["own registration page"]
    assert "IPONZ" in shown["badge sheet"] and "IPONZ" in shown["participants list"]

    # The database row itself.
    values = Registration.objects.filter(pk=held.pk).values(*Registration.PERSONAL_DATA).get()
    assert values == Registration.PERSONAL_DATA
    assert Registration.objects.filter(pk=held.pk, economy="NZ", organisation="IPONZ", invitation_letter=True).exists()
    assert held.letters.count() == 1  # the letter's number and date stay in the log


def test_second_run_erases_nothing_and_says_so(workshop, held, capsys):
    move_into_past(workshop, days_ago=settings.PERSONAL_DATA_RETENTION.days + 1)
    call_command("erase_personal_data")
    first = Registration.objects.get(pk=held.pk).personal_data_erased_at
    capsys.readouterr()
    call_command("erase_personal_data")
    assert capsys.readouterr().out.startswith("Nothing to erase")
    assert Registration.objects.get(pk=held.pk).personal_data_erased_at == first
    assert services.erase_personal_data_of_past_events() == []


def test_an_event_not_yet_past_the_cutoff_is_untouched(workshop, held, people, capsys):
    move_into_past(workshop, days_ago=settings.PERSONAL_DATA_RETENTION.days - 1)
    call_command("erase_personal_data")
    assert capsys.readouterr().out.startswith("Nothing to erase")
    registration = Registration.objects.get(pk=held.pk)
    assert (registration.dietary_needs, registration.accessibility_needs) == (DIETARY, ACCESS)
    assert (registration.passport_number, registration.date_of_birth) == (PASSPORT, BORN)
    assert registration.personal_data_erased_at is None


def test_counts_by_event_dry_run_every_status_and_the_beat_task_share_one_rule(
    workshop, held, people, organiser, capsys, caplog
):
    now = timezone.now()
    older = make_event(
        "older-workshop", venue=make_venue("Asia/Kuala_Lumpur", "Penang"), title="Older workshop",
        starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=3), organisers=[organiser],
    )  # fmt: skip
    first, second, third = people(3, prefix="older")
    services.register(older, first, dietary_needs="halal")
    cancelled = services.register(older, second, accessibility_needs="hearing loop")
    services.cancel(cancelled, actor=None)
    services.register(older, third)  # nothing to erase
    recent = make_event("recent-workshop", starts_at=now + timedelta(days=5), organisers=[organiser])
    kept = services.register(recent, people(1, prefix="recent")[0], dietary_needs="vegan")
    move_into_past(workshop, days_ago=settings.PERSONAL_DATA_RETENTION.days + 1)
    move_into_past(older, days_ago=settings.PERSONAL_DATA_RETENTION.days + 60)
    move_into_past(recent, days_ago=1)

    call_command("erase_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Would erase the personal data of 3 registrations of 2 events:",
        f"      2  Older workshop (older-workshop, ended {older.ends_at:%Y-%m-%d})",
        f"      1  {workshop.title} (design-workshop, ended {workshop.ends_at:%Y-%m-%d})",
    ]
    assert Registration.objects.filter(personal_data_erased_at__isnull=False).count() == 0
    assert Registration.objects.get(pk=held.pk).dietary_needs == DIETARY

    with caplog.at_level(logging.INFO, logger="registrations.services"):
        tasks.erase_expired_personal_data()  # what beat runs daily
    assert "Personal data erased: 3 registration(s) of 2 event(s)" in caplog.text
    assert "older-workshop: 2; design-workshop: 1" in caplog.text
    assert set(Registration.objects.filter(personal_data_erased_at__isnull=False).values_list("event", flat=True)) == {
        older.pk,
        workshop.pk,
    }
    assert Registration.objects.get(pk=cancelled.pk).accessibility_needs == ""  # whatever the status
    assert Registration.objects.get(pk=kept.pk).dietary_needs == "vegan"
    assert (
        settings.CELERY_BEAT_SCHEDULE["erase-personal-data"]["task"]
        == "registrations.tasks.erase_expired_personal_data"
    )
