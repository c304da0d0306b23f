"""A real Celery worker and beat, on the development broker (kombu's file
system transport, no server) and on real Redis."""

import sqlite3
import time
from datetime import datetime

import pytest

from ..processes import ROOT, VENV_BIN, Background, manage, project_env, wait_for

pytestmark = pytest.mark.slow


def heartbeat_time(db_path, name="queue"):
    with sqlite3.connect(db_path) as connection:
        row = connection.execute("SELECT beat_at FROM ops_heartbeat WHERE name LIKE ?", [name]).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


@pytest.fixture
def app_env(tmp_path):
    env = project_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", VAR_DIR=str(tmp_path / "var"))
    manage("migrate", "--noinput", env=env)
    return env


def send_heartbeat(env, countdown):
    manage("shell", "-c", f"from ops.tasks import heartbeat; heartbeat.apply_async(countdown={countdown})", env=env)


def worker(env, tmp_path, name="worker"):
    command = [str(VENV_BIN / "celery"), "-A", "config", "worker", "--concurrency=1", "--loglevel=INFO"]
    return Background(*command, env=env, log=tmp_path / f"{name}.log")


@pytest.mark.parametrize("broker", ["filesystem", "redis"])
def test_a_worker_runs_a_queued_task_no_sooner_than_its_countdown(app_env, tmp_path, broker, request):
    if broker == "redis":
        redis_url = request.getfixturevalue("redis_url")
        import redis

        redis.Redis.from_url(redis_url).flushdb()
        app_env["REDIS_URL"] = redis_url
    db_path = tmp_path / "db.sqlite3"
    with worker(app_env, tmp_path) as process:
        sent = time.time()
        send_heartbeat(app_env, countdown=4)
        done = wait_for(lambda: heartbeat_time(db_path), timeout=60)
        assert done, f"the task never ran:\n{process.output()}"
        assert done.timestamp() - sent >= 3.9, "the countdown was not honoured"


def test_beat_and_worker_each_keep_their_part_of_the_health_check_green(app_env, tmp_path):
    app_env["HEARTBEAT_INTERVAL"] = "1"
    db_path = tmp_path / "db.sqlite3"
    beat_command = [str(VENV_BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO"]
    with worker(app_env, tmp_path), Background(*beat_command, env=app_env, log=tmp_path / "beat.log") as beat:
        first = wait_for(lambda: heartbeat_time(db_path), timeout=60)
        assert first, f"beat never scheduled a heartbeat:\n{beat.output()}"
        later = wait_for(lambda: (t := heartbeat_time(db_path)) and t > first and t, timeout=30)
        assert later > first
        assert heartbeat_time(db_path, "worker@%"), "the worker wrote no heartbeat of its own"
        assert heartbeat_time(db_path, "beat"), "beat wrote no heartbeat of its own"
        health = manage(
            "shell", "-c", "import json; from ops.health import report; print(json.dumps(report()))", env=app_env
        )
    assert '"worker": {"ok": true' in health
    assert '"beat": {"ok": true' in health
    assert '"queue": {"ok": true' in health


def test_the_run_command_starts_web_worker_and_beat():
    procfile = (ROOT / "Procfile.dev").read_text()
    assert {line.split(":")[0] for line in procfile.splitlines() if line} == {"web", "worker", "beat"}
    assert "celery -A config worker" in procfile and "celery -A config beat" in procfile
