import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from events.models import AgendaItem, AgendaVersion, Event, PublishedItem, Speaker
from registrations.models import Registration

pytestmark = pytest.mark.django_db
SHARED_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Event, AgendaItem, AgendaVersion, PublishedItem, Speaker, Registration, get_user_model())
    }


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
