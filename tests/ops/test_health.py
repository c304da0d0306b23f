from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from ops import health
from ops.models import Heartbeat

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_part_and_a_missing_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    state = response.json()
    assert state["database"]["ok"] is True
    assert state["broker"] == {"ok": True, "transport": "filesystem"}
    assert state["worker"]["ok"] is False
    assert state["worker"]["detail"] == "no heartbeat yet"
    assert state["status"] == "degraded"
    assert "no-cache" in response["Cache-Control"]


def test_a_fresh_heartbeat_makes_the_worker_healthy(client):
    health.record_heartbeat()
    state = client.get("/healthz").json()
    assert state["worker"]["ok"] is True
    assert state["status"] == "ok"


def test_a_stale_heartbeat_is_reported(client, settings):
    Heartbeat.objects.create(name="worker", beat_at=timezone.now() - timedelta(minutes=10))
    state = client.get("/healthz").json()
    assert state["worker"]["ok"] is False
    assert state["worker"]["age_seconds"] >= 600
    assert "worker or beat is down" in state["worker"]["detail"]


def test_organisers_see_a_banner_when_background_work_is_down(client, organiser, event):
    client.force_login(organiser)
    page = client.get("/desk/").content.decode()
    assert "Background work is not running." in page
    health.record_heartbeat()
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
