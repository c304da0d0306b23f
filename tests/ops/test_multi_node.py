"""Production on more than one machine: two web nodes (gunicorn) and Celery
workers that share PostgreSQL, Redis and an S3 server, and nothing else. Each
process gets its own empty local directory (VAR_DIR, MEDIA_ROOT) as a machine
would, so a file written to local disk instead of the storage cannot be found
by the other nodes, and shows up in that directory."""

import collections
import hashlib
import os
import re
import secrets
import subprocess
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests

from ..conftest import require_service
from ..processes import VENV_BIN, Background, manage, project_env, scratch_database, wait_for
from ..smtp_sink import free_port
from ..smtp_sink import start as start_sink

pytestmark = pytest.mark.slow

POSTGRES = "postgres://postgres@127.0.0.1:5432"
# A Redis database of its own: the suite's other live tests flush 15, bench/reminders.py uses 13.
REDIS_URL = "redis://127.0.0.1:6379/14"
SLUG = "multi-node-workshop"
NODE_COPIES = "node-copies"
ORGANISER, PASSWORD = "organiser@multi-node.example", "multi-node-organiser-password"
PARTICIPANTS = ["Aroha Ngata", "Nurul Aziz", "Kenji Watanabe"]
REMINDER_COUNT = 1000
REMINDER_TITLE = "Multi-node reminder workshop"

SETUP = f"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from events.models import AgendaItem, Event, Venue
from registrations.models import ParticipantProfile, Registration

User = get_user_model()
organiser = User.objects.create_user({ORGANISER!r}, {PASSWORD!r})
EmailAddress.objects.create(user=organiser, email={ORGANISER!r}, verified=True, primary=True)
ParticipantProfile.objects.create(user=organiser, full_name="Multi Node Organiser", economy="NZ")
zone = ZoneInfo("Pacific/Auckland")
venue = Venue.objects.create(name="Te Pae", city="Christchurch", economy="NZ", timezone="Pacific/Auckland")
event = Event.objects.create(slug={SLUG!r}, title="Industrial design on many machines", status="published",
    venue=venue, starts_at=datetime(2031, 3, 3, 9, 0, tzinfo=zone), ends_at=datetime(2031, 3, 3, 17, 0, tzinfo=zone))
event.organisers.set([organiser])
for n, title in enumerate(["Opening of the workshop", "Design registration across economies"]):
    start = event.starts_at + timedelta(hours=n)
    AgendaItem.objects.create(event=event, title=title, starts_at=start, ends_at=start + timedelta(minutes=45))
for n, name in enumerate({PARTICIPANTS!r}):
    user = User.objects.create_user(f"participant{{n}}@multi-node.example", None)
    ParticipantProfile.objects.create(user=user, full_name=name, economy="NZ", organisation="IPONZ")
    Registration.objects.create(event=event, user=user, status="confirmed", economy="NZ", queued_at=timezone.now())
"""

# 1,000 confirmed registrations whose 24-hour reminder fell due a minute ago.
REMINDERS = f"""
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from events.models import Event, Venue
from registrations.models import ParticipantProfile, Registration

now = timezone.now().replace(microsecond=0)
venue = Venue.objects.create(name="Aotea Centre", city="Auckland", economy="NZ", timezone="Pacific/Auckland")
event = Event.objects.create(slug="multi-node-reminders", title={REMINDER_TITLE!r}, status="published", venue=venue,
    starts_at=now + timedelta(days=1, minutes=-1), ends_at=now + timedelta(days=1, hours=6), reminder_offsets=[1440])
User = get_user_model()
users = User.objects.bulk_create(User(email=f"r{{n}}@multi-node.example") for n in range({REMINDER_COUNT}))
ParticipantProfile.objects.bulk_create(ParticipantProfile(user=u, full_name=f"R {{n}}", economy="NZ")
                                       for n, u in enumerate(users))
Registration.objects.bulk_create(Registration(event=event, user=u, status="confirmed", queued_at=now) for u in users)
"""


@dataclass
class Machine:
    """One process of the deployment and the local disk it alone sees."""

    name: str
    root: Path
    env: dict
    process: Background | None = None
    url: str = ""

    def local_files(self):
        """What this machine wrote to its own disk, apart from verified copies
        of immutable documents kept under their SHA-256 (events/stored_files.py)."""
        return sorted(
            str(path.relative_to(self.root))
            for path in self.root.rglob("*")
            if path.is_file() and path.relative_to(self.root).parts[0] != NODE_COPIES
        )

    def node_copies(self):
        return sorted(path.name for path in (self.root / NODE_COPIES).rglob("*") if path.is_file())


@dataclass
class Deployment:
    database_url: str
    bucket: str
    s3: object
    sink: object
    base: Path
    secret_key: str
    machines: dict = field(default_factory=dict)

    @property
    def a(self):
        return self.machines["node-a"].url

    @property
    def b(self):
        return self.machines["node-b"].url

    def env(self, root, email_port):
        return project_env(
            DATABASE_URL=self.database_url,
            REDIS_URL=REDIS_URL,
            SECRET_KEY=self.secret_key,  # the same on every node, as sessions and CSRF tokens need
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1",
            VAR_DIR=str(root / "var"),
            MEDIA_ROOT=str(root / "media"),
            STORED_FILE_CACHE_DIR=str(root / NODE_COPIES),
            EMAIL_URL=f"smtp://127.0.0.1:{email_port}",
            HEARTBEAT_INTERVAL="3600",
            PYTHONWARNINGS="ignore:No directory at",  # no collectstatic on a throw-away node
            **self.s3.env(self.bucket),
        )

    def machine(self, name, email_port=None):
        root = self.base / name
        (root / "var").mkdir(parents=True)
        (root / "media").mkdir()
        machine = Machine(name, root, self.env(root, email_port or self.sink_port))
        self.machines[name] = machine
        return machine

    @property
    def sink_port(self):
        return self.sink[1].port

    def web_node(self, name):
        machine = self.machine(name)
        port = free_port()
        command = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
        machine.process = Background(*command, env=machine.env, log=self.base / f"{name}.log")
        machine.url = f"http://127.0.0.1:{port}"
        return machine

    def worker(self, name, email_port=None):
        machine = self.machine(name, email_port)
        command = [str(VENV_BIN / "celery"), "-A", "config", "worker", "--concurrency=1", "--loglevel=INFO",
                   "-n", f"{name}@%h"]  # fmt: skip
        machine.process = Background(*command, env=machine.env, log=self.base / f"{name}.log")
        return machine

    def log(self, name):
        return self.machines[name].process.output()

    def query(self, statement, params=()):
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(statement, params).fetchall()

    def stored(self, key):
        return self.s3.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def assert_nothing_on_local_disks(self):
        written = {name: files for name, machine in self.machines.items() if (files := machine.local_files())}
        assert written == {}, "files were written to a machine's own disk instead of the shared storage"


def web_node_ready(url):
    try:
        return requests.get(f"{url}/accounts/login/", timeout=10).status_code == 200
    except requests.RequestException:
        return None


@pytest.fixture(scope="module")
def deployment(s3_server, tmp_path_factory):
    # The postgres and redis_url fixtures are per test; their check is what this
    # module-wide set-up needs (skip on a laptop without them, fail under CI).
    require_service("PostgreSQL", "127.0.0.1", 5432)
    require_service("Redis", "127.0.0.1", 6379)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    with ExitStack() as stack:
        database_url = stack.enter_context(scratch_database(POSTGRES, prefix="ipeg_multi_node"))
        sink = start_sink()
        stack.callback(sink[1].stop)
        deployment = Deployment(
            database_url=database_url,
            bucket=s3_server.new_bucket(),
            s3=s3_server,
            sink=sink,
            base=tmp_path_factory.mktemp("multi-node"),
            secret_key=secrets.token_urlsafe(40),
        )
        operator = deployment.machine("operator")  # one-off commands: migrate, the test data
        manage("migrate", "--noinput", env=operator.env)
        for machine in (deployment.web_node("node-a"), deployment.web_node("node-b"), deployment.worker("worker-1")):
            stack.enter_context(machine.process)
        manage("shell", "-c", SETUP, env=operator.env)  # while the nodes start
        for name in ("node-a", "node-b"):
            url = deployment.machines[name].url
            assert wait_for(lambda url=url: web_node_ready(url), timeout=30), deployment.log(name)[-3000:]
        assert wait_for(lambda: "ready." in deployment.log("worker-1"), timeout=30), deployment.log("worker-1")[-3000:]
        yield deployment
    redis.Redis.from_url(REDIS_URL).flushdb()


def sign_in(url):
    browser = requests.Session()
    browser.get(f"{url}/accounts/login/", timeout=10).raise_for_status()
    answer = browser.post(
        f"{url}/accounts/login/",
        data={"login": ORGANISER, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302 and "sessionid" in browser.cookies, answer.text[-2000:]
    return browser


def same_browser(browser):
    """The browser's cookies, for requests a load balancer without sticky
    sessions sends to another node: sessions live in the shared database."""
    moved = requests.Session()
    for name in ("sessionid", "csrftoken"):
        moved.cookies.set(name, browser.cookies[name])
    return moved


def post(browser, url, **kwargs):
    headers = {"X-CSRFToken": browser.cookies["csrftoken"]}
    return browser.post(url, headers=headers, allow_redirects=False, timeout=30, **kwargs)


def pdf_text(content):
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_a_document_uploaded_through_node_a_downloads_byte_identical_from_node_b(deployment):
    # Past Django's 2.5 MB in-memory limit, so node A spools the upload to a
    # temporary file before it goes to the object store.
    content = b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024) + b"\n%%EOF\n"
    on_a = sign_in(deployment.a)
    answer = post(
        on_a,
        f"{deployment.a}/desk/events/{SLUG}/documents/",
        data={"title": "Multi-node design paper", "access": "public", "item": ""},
        files={"file": ("design-paper.pdf", content, "application/pdf")},
    )
    assert answer.status_code == 302, answer.text[-2000:]
    [(pk, name)] = deployment.query(
        "SELECT d.id, r.file FROM events_meetingdocument d JOIN events_documentrevision r ON r.document_id = d.id"
        " WHERE d.title = %s",
        ["Multi-node design paper"],
    )
    assert deployment.stored(name) == content

    anonymous = requests.get(f"{deployment.b}/events/{SLUG}/documents/{pk}/download/", timeout=30)
    assert anonymous.status_code == 200
    assert anonymous.content == content
    assert anonymous.headers["Content-Disposition"].startswith("attachment")
    # The organiser's session from node A is a session on node B too.
    on_b = same_browser(on_a)
    assert on_b.get(f"{deployment.b}/events/{SLUG}/documents/{pk}/download/", timeout=30).content == content
    assert "Multi-node design paper" in on_b.get(f"{deployment.b}/desk/events/{SLUG}/documents/", timeout=10).text
    # Node B keeps a copy named by the content's digest, so it can never serve another file's bytes.
    assert deployment.machines["node-b"].node_copies() == [hashlib.sha256(content).hexdigest()]
    deployment.assert_nothing_on_local_disks()


def test_the_programme_rendered_by_the_worker_is_served_by_both_nodes(deployment):
    on_a = sign_in(deployment.a)
    answer = post(on_a, f"{deployment.a}/desk/events/{SLUG}/agenda/publish/", data={"note": "First version"})
    assert answer.status_code == 302

    def stored_programme():
        rows = deployment.query(
            "SELECT v.programme FROM events_event e JOIN events_agendaversion v ON v.id = e.current_version_id"
            " WHERE e.slug = %s",
            [SLUG],
        )
        return rows and rows[0][0]

    # Nobody asks for the PDF before the worker stored it, so no web node can
    # have rendered it inline.
    name = wait_for(stored_programme, timeout=60)
    assert name, deployment.log("worker-1")[-3000:]
    assert re.search(r"events\.tasks\.render_programme\[[-\w]+\] succeeded", deployment.log("worker-1"))
    stored = deployment.stored(name)
    assert stored.startswith(b"%PDF-")
    assert "Design registration across economies" in pdf_text(stored)

    served = {
        "anonymous on A": requests.get(f"{deployment.a}/events/{SLUG}/agenda.pdf", timeout=30),
        "anonymous on B": requests.get(f"{deployment.b}/events/{SLUG}/agenda.pdf", timeout=30),
        "organiser on B": same_browser(on_a).get(f"{deployment.b}/events/{SLUG}/agenda.pdf", timeout=30),
    }
    assert {reader: answer.status_code for reader, answer in served.items()} == dict.fromkeys(served, 200)
    assert all(answer.content == stored for answer in served.values())
    assert all(answer.headers["Content-Type"] == "application/pdf" for answer in served.values())
    deployment.assert_nothing_on_local_disks()


def test_a_badge_sheet_requested_on_node_a_is_made_by_the_worker_and_downloads_from_node_b(deployment):
    on_a = sign_in(deployment.a)
    answer = post(on_a, f"{deployment.a}/desk/events/{SLUG}/files/new/badges/")
    assert answer.status_code == 302
    progress = re.fullmatch(rf"/desk/events/{SLUG}/files/(\d+)/", answer.headers["Location"])
    assert progress, answer.headers["Location"]
    on_b = same_browser(on_a)
    page = wait_for(
        lambda: "Ready: 3 participants" in (text := on_b.get(f"{deployment.b}{progress[0]}", timeout=10).text) and text,
        timeout=60,
    )
    assert page, deployment.log("worker-1")[-3000:]
    assert re.search(r"registrations\.tasks\.generate_document\[[-\w]+\] succeeded", deployment.log("worker-1"))

    download = on_b.get(f"{deployment.b}{progress[0]}download/", timeout=30)
    assert download.status_code == 200
    [(name,)] = deployment.query("SELECT file FROM registrations_generateddocument WHERE id = %s", [progress[1]])
    assert download.content == deployment.stored(name)
    text = pdf_text(download.content)
    assert all(person in text for person in PARTICIPANTS)
    # Without the organiser's session, node B sends the reader to sign in.
    anonymous = requests.get(f"{deployment.b}{progress[0]}download/", allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/accounts/login/")
    deployment.assert_nothing_on_local_disks()


def test_two_workers_send_a_thousand_due_reminders_each_exactly_once(deployment):
    from celery import Celery

    # The second worker relays through its own SMTP sink, so each sink counts
    # exactly what one worker sent.
    second_sink, second_controller = start_sink()
    first_sink = deployment.sink[0]
    try:
        with deployment.worker("worker-2", email_port=second_controller.port).process as second:
            manage("shell", "-c", REMINDERS, env=deployment.machines["operator"].env)
            assert wait_for(lambda: "ready." in second.output(), timeout=30), second.output()[-3000:]
            first_sink.clear()
            client = Celery("multi-node-test", broker=REDIS_URL, set_as_current=False)
            try:
                # Two dispatchers at once, one on each worker: claims must not overlap either.
                for _ in range(2):
                    client.send_task("registrations.tasks.dispatch_due")
            finally:
                client.close()

            def total():
                return first_sink.count() + second_sink.count()

            assert wait_for(lambda: total() >= REMINDER_COUNT, timeout=120), (
                f"{total()} sent\n{deployment.log('worker-1')[-2000:]}\n{second.output()[-2000:]}"
            )
            wait_for(lambda: total() > REMINDER_COUNT, timeout=3)  # nothing more may come
            statuses = wait_for(
                lambda: (rows := dict(deployment.query(
                    "SELECT d.status, COUNT(*) FROM registrations_delivery d JOIN registrations_registration r"
                    " ON r.id = d.registration_id JOIN events_event e ON e.id = r.event_id"
                    " WHERE e.slug = 'multi-node-reminders' GROUP BY d.status"
                ))) == {"sent": REMINDER_COUNT} and rows,
                timeout=10,
            )  # fmt: skip
    finally:
        second_controller.stop()

    by_worker = {"worker-1": first_sink.parsed(), "worker-2": second_sink.parsed()}
    messages = by_worker["worker-1"] + by_worker["worker-2"]
    assert len(messages) == REMINDER_COUNT
    assert all(REMINDER_TITLE in message["Subject"] for message in messages)
    received = collections.Counter(message["To"] for message in messages)
    assert set(received) == {f"r{n}@multi-node.example" for n in range(REMINDER_COUNT)}
    assert set(received.values()) == {1}
    assert len({message["Message-ID"] for message in messages}) == REMINDER_COUNT
    assert statuses == {"sent": REMINDER_COUNT}
    # Both workers took part.
    assert all(by_worker.values()), {name: len(sent) for name, sent in by_worker.items()}
    deployment.assert_nothing_on_local_disks()
