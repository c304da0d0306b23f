from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from ops import health
from ops.models import Heartbeat

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_part_and_what_is_missing(client):
    response = client.get("/healthz")
    assert response.status_code == 200  # the node can serve: a missing worker must not take it out
    state = response.json()
    assert state["database"]["ok"] is True
    assert state["broker"] == {"ok": True, "transport": "filesystem"}
    assert state["worker"]["ok"] is False and state["worker"]["detail"] == "no worker heartbeat yet"
    assert state["beat"]["ok"] is False and state["beat"]["detail"] == "no beat heartbeat yet"
    assert state["status"] == "degraded"
    assert "no-cache" in response["Cache-Control"]


def alive_everything():
    health.record_heartbeat(health.worker_heartbeat_name())
    health.record_heartbeat(health.BEAT)
    health.record_heartbeat(health.QUEUE)


def test_fresh_heartbeats_of_worker_beat_and_queue_make_it_healthy(client):
    alive_everything()
    state = client.get("/healthz").json()
    assert state["worker"]["ok"] and state["worker"]["alive"] == 1
    assert state["beat"]["ok"] and state["queue"]["ok"]
    assert state["status"] == "ok"


def test_a_dead_beat_is_told_apart_from_a_dead_worker(client):
    alive_everything()
    Heartbeat.objects.filter(name=health.BEAT).update(beat_at=timezone.now() - timedelta(minutes=10))
    state = client.get("/healthz").json()
    assert state["worker"]["ok"] is True
    assert state["beat"]["ok"] is False and "the beat is down" in state["beat"]["detail"]
    assert state["beat"]["age_seconds"] >= 600


def test_workers_on_several_hosts_are_counted(client):
    Heartbeat.objects.create(name="worker@node-a", beat_at=timezone.now())
    Heartbeat.objects.create(name="worker@node-b", beat_at=timezone.now() - timedelta(seconds=30))
    Heartbeat.objects.create(name="worker@retired", beat_at=timezone.now() - timedelta(hours=3))
    state = client.get("/healthz").json()
    assert state["worker"]["ok"] is True and state["worker"]["alive"] == 2


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    from ..processes import manage, project_env

    env = project_env(DATABASE_URL="postgres://nobody@127.0.0.1:9/absent", VAR_DIR=str(tmp_path))
    script = (
        "from django.test import Client; r = Client(HTTP_HOST='127.0.0.1').get('/healthz'); "
        "import json; print(r.status_code, json.dumps(r.json()['database']))"
    )
    out = manage("shell", "-c", script, env=env).strip().splitlines()[-1]
    assert out.startswith("503 ") and '"ok": false' in out


def test_organisers_see_a_banner_when_background_work_is_down(client, organiser, event):
    client.force_login(organiser)
    page = client.get("/desk/").content.decode()
    assert "Background work is not running." in page
    alive_everything()
    assert "Background work is not running." not in client.get("/desk/").content.decode()


@pytest.fixture
def broker(request):
    original = current_app.conf.broker_url
    yield lambda url: setattr(current_app.conf, "broker_url", url)
    current_app.conf.broker_url = original


def test_broker_status_on_real_redis(broker, redis_url):
    broker(redis_url)
    assert health.broker_status() == {"ok": True, "transport": "redis"}


def test_broker_status_when_redis_is_unreachable(broker):
    broker("redis://127.0.0.1:1/0")
    status = health.broker_status()
    assert status["ok"] is False and status["transport"] == "redis"


def test_healthz_leaks_no_credentials(client, broker):
    broker("redis://:s3cret-password@127.0.0.1:1/0")
    body = client.get("/healthz").content.decode()
    assert "s3cret-password" not in body


def test_desk_banner_is_not_shown_to_participants(client, db):
    client.force_login(make_user("participant@example.org"))
    assert client.get("/desk/").status_code == 200
    assert "Organiser desk" not in client.get("/").content.decode()
