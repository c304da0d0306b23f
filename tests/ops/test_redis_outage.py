"""Redis down (cache and broker at once): every page still answers from the
database, and a registration made meanwhile keeps its seat and gets its
confirmation exactly once when Redis is back. Real processes: gunicorn, a
Celery worker and beat, a Redis server of the test's own, an SMTP sink."""

import re
import sqlite3
import subprocess

import pytest

from ..processes import VENV_BIN, Background, manage, project_env, wait_for
from ..smtp_sink import free_port
from ..smtp_sink import start as start_sink

pytestmark = pytest.mark.slow

SETUP = """
from datetime import timedelta
from django.utils import timezone
from events import services
from events.models import AgendaItem
from tests.factories import PASSWORD, make_event, make_user, make_venue

organiser = make_user("organiser@example.org")
make_user("delegate@example.org", full_name="Delegate From Chile", economy="CL")
start = timezone.now().replace(microsecond=0) + timedelta(days=30)
event = make_event("outage-workshop", title="Outage workshop", venue=make_venue("America/Santiago", "Santiago"),
                   starts_at=start, ends_at=start + timedelta(hours=8), capacity=5, organisers=[organiser])
AgendaItem.objects.create(event=event, title="Opening of the outage workshop", starts_at=start,
                          ends_at=start + timedelta(hours=1))
services.publish_agenda(event, actor=organiser, note="First")
"""


class RedisServer:
    """A Redis of this test's own, so stopping it touches no other test."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.tmp_path = tmp_path
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp_path)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_for(self.answers, timeout=10), "redis-server did not start"

    def answers(self):
        result = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
        return result.stdout.strip() == "PONG"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def stack(tmp_path, redis_url):
    """Web (gunicorn), worker and beat on one SQLite file and the test's own Redis."""
    redis = RedisServer(tmp_path)
    redis.start()
    sink, controller = start_sink()
    web_port = free_port()
    env = project_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        VAR_DIR=str(tmp_path / "var"),
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        EMAIL_URL=f"smtp://127.0.0.1:{controller.port}",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{web_port}",
        REMINDER_DISPATCH_INTERVAL="1",
        HEARTBEAT_INTERVAL="3600",
        PYTHONWARNINGS="ignore:No directory at",
    )
    manage("migrate", "--noinput", env=env)
    manage("shell", "-c", SETUP, env=env)
    celery = str(VENV_BIN / "celery")
    gunicorn = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{web_port}", "--workers", "2"]
    with (
        Background(*gunicorn, env=env, log=tmp_path / "web.log") as web,
        Background(celery, "-A", "config", "worker", "--concurrency=1", "--loglevel=INFO", env=env,
                   log=tmp_path / "worker.log") as worker,
        Background(celery, "-A", "config", "beat", "--loglevel=INFO", "--schedule", str(tmp_path / "beat-schedule"),
                   env=env, log=tmp_path / "beat.log") as beat,
    ):  # fmt: skip
        import requests

        base = f"http://127.0.0.1:{web_port}"
        assert wait_for(lambda: _answers(requests, base), timeout=30), web.output()
        yield {"base": base, "redis": redis, "sink": sink, "db": tmp_path / "db.sqlite3", "logs": (web, worker, beat)}
    controller.stop()
    if redis.process.poll() is None:
        redis.stop()


def _answers(requests, base):
    try:
        return requests.get(f"{base}/healthz", timeout=10).status_code == 200
    except requests.RequestException:
        return False


def sign_in(session, base, email):
    page = session.get(f"{base}/accounts/login/", timeout=10)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": "correct-horse-battery-staple"},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:2000]


def csrf(session, url):
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.text[:2000]
    return page, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def registration_status(db):
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT r.status FROM registrations_registration r JOIN accounts_user u ON u.id = r.user_id "
            "WHERE u.email = 'delegate@example.org'"
        ).fetchone()


def test_with_redis_down_pages_answer_and_a_registration_is_confirmed_then_mailed_once_redis_is_back(stack):
    import requests

    base, redis, sink = stack["base"], stack["redis"], stack["sink"]
    redis.stop()
    assert not redis.answers()

    health = requests.get(f"{base}/healthz", timeout=10)
    assert health.status_code == 200  # the database answers: this node keeps serving
    assert health.json()["broker"]["ok"] is False and health.json()["database"]["ok"] is True

    anonymous = requests.Session()
    assert "Outage workshop" in anonymous.get(f"{base}/events/", timeout=10).text
    assert "Outage workshop" in anonymous.get(f"{base}/events/outage-workshop/", timeout=10).text
    agenda = anonymous.get(f"{base}/events/outage-workshop/agenda/", timeout=10)
    assert "Opening of the outage workshop" in agenda.text
    feed = anonymous.get(f"{base}/events/feed.ics", timeout=10)
    assert feed.status_code == 200 and "SUMMARY:Outage workshop" in feed.text
    agenda_feed = anonymous.get(f"{base}/events/outage-workshop/agenda.ics", timeout=10)
    assert "SUMMARY:Opening of the outage workshop" in agenda_feed.text

    organiser = requests.Session()
    sign_in(organiser, base, "organiser@example.org")
    desk = organiser.get(f"{base}/desk/", timeout=10)
    assert desk.status_code == 200 and "Outage workshop" in desk.text

    delegate = requests.Session()
    sign_in(delegate, base, "delegate@example.org")
    url = f"{base}/events/outage-workshop/register/"
    _, token = csrf(delegate, url)
    answer = delegate.post(
        url,
        data={"csrfmiddlewaretoken": token, "participation_type": "delegate", "economy": "CL",
              "organisation": "INAPI", "privacy_consent": "on"},
        headers={"Referer": url},
        timeout=30,
    )  # fmt: skip
    assert answer.status_code == 200 and answer.url == f"{base}/registrations/", answer.text[:2000]
    assert "Outage workshop" in answer.text and "Confirmed" in answer.text
    assert registration_status(stack["db"]) == ("confirmed",)
    assert sink.count() == 0  # nothing could reach a worker yet

    redis.start()  # empty: the hand-off to the broker failed, only the database remembers the mail
    arrived = wait_for(lambda: sink.count() >= 1, timeout=60)
    _, worker, beat = stack["logs"]
    assert arrived, f"the confirmation never arrived:\n{worker.output()[-3000:]}\n{beat.output()[-2000:]}"
    wait_for(lambda: sink.count() > 1, timeout=4)  # beat sweeps every second: give a duplicate its chance
    messages = sink.parsed()
    assert [m["To"] for m in messages] == ["delegate@example.org"]
    assert messages[0]["Subject"] == "Registration confirmed: Outage workshop"
