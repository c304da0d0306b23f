import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from attendance.models import AttendanceMark
from audit.models import LogEntry
from delegations import focal_point
from delegations.models import EconomyQuota, FinalParticipantList, FocalPoint, Nomination
from delegations.queries import quota_for
from evaluation.models import Answer, Invitation, Response, Survey
from evaluation.services import months_after_end
from events.models import AgendaItem, AgendaVersion, Event, MeetingDocument, PublishedItem, Speaker
from registrations.models import Delivery, Registration
from reports import completion

# The demo funds a traveller from a travel-eligible economy.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("travel_eligibility")]
SHARED_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
PLENARY = "ipeg-plenary-som1-2020-putrajaya"
PENANG = "industrial-design-workshop-penang"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The demo prints the plenary's final List of Participants.
    settings.MEDIA_ROOT = tmp_path


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Event, AgendaItem, AgendaVersion, PublishedItem, Speaker, Registration, get_user_model(),
            Survey, Invitation, Response, Answer, FocalPoint, EconomyQuota, Nomination, FinalParticipantList,
            MeetingDocument, AttendanceMark, Delivery, LogEntry,
        )
    }  # fmt: skip


def test_seed_demo_loads_the_ipeg_programme_and_prints_logins(capsys, client):
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "organiser@ipeg.example" in output and "ipeg-organiser-demo" in output
    assert "delegate.nz@ipeg.example" in output

    plenary = Event.objects.get(slug="ipeg-plenary-som1-2020-putrajaya")
    assert str(plenary.cluster) == "SOM1 2020, Putrajaya"
    assert plenary.current_version.number == 2
    assert plenary.current_version.changelog[0]["change"] == "added"
    workshops = Event.objects.filter(project_code="IPEG 02 2020S").select_related("cluster", "venue")
    assert {(w.cluster.meeting, w.venue.economy) for w in workshops} == {("SOM3", "MY"), ("SOM1", "NZ"), ("SOM3", "NZ")}
    assert Speaker.objects.filter(organisation__contains="WIPO").exists()
    assert client.login(email="organiser@ipeg.example", password="ipeg-organiser-demo")
    assert client.get("/desk/").content.decode().count("Version ") == 4

    agenda = client.get("/events/industrial-design-workshop-new-zealand/agenda/").content.decode()
    assert 'Times in <span class="zone-city" title="Pacific/Auckland">Auckland time</span> (NZDT, UTC+13:00)' in agenda


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = counts()
    versions = list(AgendaVersion.objects.values_list("event__slug", "number"))
    call_command("seed_demo")
    assert counts() == first
    assert list(AgendaVersion.objects.values_list("event__slug", "number")) == versions
    assert first["Response"] == 9 and first["Nomination"] == 2 and first["MeetingDocument"] == 1


def test_seed_demo_evaluates_the_plenary_anonymously(capsys):
    call_command("seed_demo")
    plenary = Event.objects.get(slug=PLENARY)
    seated = Registration.objects.filter(event=plenary, status__in=Registration.SEATED)
    evaluation = Survey.objects.get(event=plenary, kind=Survey.Kind.EVALUATION)
    assert (evaluation.status, evaluation.anonymous) == (Survey.Status.OPEN, True)
    assert evaluation.opens_at > plenary.ends_at
    assert {q.standard_key for q in evaluation.questions.all()} >= {"objectives_met", "use", "suggestions"}
    # Invited: every seated participant; answered: most of them, as the service records it.
    assert evaluation.invitations.count() == seated.count() == 11
    assert evaluation.invitations.filter(answered=True, answered_at=None).count() == 9
    assert evaluation.responses.count() == 9
    assert not evaluation.responses.exclude(registration=None).exists()
    answers = Answer.objects.filter(response__survey=evaluation)
    assert set(answers.exclude(scale=None).values_list("scale", flat=True)) == {2, 3, 4, 5}
    assert answers.exclude(text="").count() == 5
    assert Delivery.objects.filter(kind=Delivery.Kind.SURVEY_INVITATION, key=str(evaluation.pk)).count() == 11

    follow_up = Survey.objects.get(event=plenary, kind=Survey.Kind.FOLLOW_UP)
    assert follow_up.status == Survey.Status.DRAFT
    assert follow_up.opens_at == months_after_end(plenary, 12)
    assert follow_up.questions.filter(standard_key="applied").exists()


def test_seed_demo_gives_the_completion_report_numbers(capsys, client):
    call_command("seed_demo")
    plenary = Event.objects.get(slug=PLENARY)
    report = completion.build([plenary], plenary.title)
    seated = Registration.objects.filter(event=plenary, status__in=Registration.SEATED).count()
    assert report.participant_total == seated == 11
    by_sex, _, by_funding, by_mode = report.participants
    totals = dict(zip(by_sex.columns, by_sex.cells[-1], strict=False))
    assert totals == {"Female": 4, "Male": 3, "Another": 0, "Prefer not to say": 1, "Not given": 3}
    assert {row["label"]: row["total"] for row in by_funding.rows} == {
        "Self-funded": 8, "APEC-funded participant": 1, "APEC-funded speaker": 1, "APEC-funded expert": 1, "Total": 11,
    }  # fmt: skip
    assert {row["label"]: row["total"] for row in by_mode.rows} == {
        "In person": 8, "Remote (speaking)": 1, "Remote (listening)": 2, "Total": 11,
    }  # fmt: skip
    assert report.evaluations[0].responses == 9

    assert client.login(email="organiser@ipeg.example", password="ipeg-organiser-demo")
    page = client.get(f"/desk/events/{PLENARY}/report/").content.decode()
    assert "Participants by funding and sex" in page and "APEC-funded expert" in page


def test_seed_demo_numbers_the_plenary_final_list_of_participants(capsys, client):
    call_command("seed_demo")
    final = FinalParticipantList.objects.select_related("document", "finalised_by").get(event__slug=PLENARY)
    assert final.printed and final.document.number == "2020/SOM1/IPEG/001"
    assert final.finalised_by.email == "organiser@ipeg.example"
    assert sum(len(section["people"]) for section in final.content) == 11
    assert client.login(email="organiser@ipeg.example", password="ipeg-organiser-demo")
    page = client.get(f"/desk/events/{PLENARY}/list-of-participants/").content.decode()
    assert "meeting document <strong>2020/SOM1/IPEG/001</strong>" in page


def test_seed_demo_nominates_new_zealand_to_the_penang_workshop(capsys):
    call_command("seed_demo")
    penang = Event.objects.get(slug=PENANG)
    point = FocalPoint.objects.get(event=penang, economy="NZ")
    assert (point.user.email, point.appointed_by.email) == ("delegate.nz@ipeg.example", "organiser@ipeg.example")
    assert quota_for(penang, "NZ") == 3
    nominations = Nomination.objects.filter(event=penang, economy="NZ").select_related("registration__user")
    assert sorted((n.registration.user.email, n.registration.participation_type, n.state) for n in nominations) == [
        ("aroha.parata@ipeg.example", "head_of_delegation", "nominated"),
        ("james.whitfield@ipeg.example", "delegate", "nominated"),
    ]
    assert {n.nominated_by.email for n in nominations} == {"delegate.nz@ipeg.example"}


def test_my_registrations_links_a_focal_point_to_their_delegations(capsys, client, django_assert_num_queries):
    call_command("seed_demo")
    assert client.login(email="delegate.nz@ipeg.example", password="ipeg-delegate-demo")
    page = client.get("/registrations/").content.decode()
    assert "Delegations you nominate for" in page
    assert f'href="/delegations/{PENANG}/NZ/"' in page and 'href="/delegations/"' in page

    assert client.login(email="delegate.my@ipeg.example", password="ipeg-delegate-demo")
    page = client.get("/registrations/").content.decode()
    assert "Workshop on Industrial Design Protection (Penang)" in page
    assert "Delegations you nominate for" not in page and "/delegations/" not in page

    request = RequestFactory().get("/registrations/")
    for email, shown in [("delegate.nz@ipeg.example", True), ("delegate.my@ipeg.example", False)]:
        request.user = get_user_model().objects.get(email=email)
        with django_assert_num_queries(1):
            assert bool(focal_point.my_delegations_section(request)) is shown


def test_seed_bench_makes_the_requested_sizes(capsys):
    call_command("seed_bench", events=3, sessions=40, registrations=25)
    events = Event.objects.filter(slug__startswith="bench-")
    assert events.count() == 3
    for event in events:
        assert event.current_version.items.count() == 40
        assert Registration.objects.filter(event=event, status="confirmed").count() == 25
    assert "Made 3 events" in capsys.readouterr().out


@pytest.mark.parametrize("size", [50, 500])
def test_seed_bench_loads_shared_agendas_in_their_zone(capsys, size):
    path = SHARED_BENCH / f"agenda-{size}.json"
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")
    call_command("seed_bench", agenda_json=[str(path)])
    data = json.loads(path.read_text())
    event = Event.objects.get(slug=data["event"]["slug"])
    assert event.current_version.items.count() == size
    first = data["talks"][0]
    item = event.current_version.items.get(title=first["title"])
    berlin = ZoneInfo("Europe/Berlin")
    assert item.starts_at == datetime.fromisoformat(first["start_local"]).replace(tzinfo=berlin)
    assert item.room == "Room 01" and item.speakers[0]["name"] == first["speakers"][0]["name"]
    call_command("seed_bench", agenda_json=[str(path)])  # loading again replaces, never duplicates
    assert Event.objects.filter(slug=data["event"]["slug"]).count() == 1


def test_seed_bench_refuses_bad_arguments_and_files(tmp_path):
    with pytest.raises(CommandError, match="Give --events"):
        call_command("seed_bench")
    with pytest.raises(CommandError, match="cannot be negative"):
        call_command("seed_bench", events=1, sessions=-1)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}')
    with pytest.raises(CommandError, match="is not a bench-agenda/1 file"):
        call_command("seed_bench", agenda_json=[str(bad)])
    with pytest.raises(CommandError, match="Cannot load"):
        call_command("seed_bench", agenda_json=[str(tmp_path / "missing.json")])
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot load"):
        call_command("seed_bench", agenda_json=[str(broken)])
