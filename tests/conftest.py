import importlib
import os
import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from events.models import Event, Venue

from .factories import make_event, make_user


def service_reachable(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name, host, port):
    """Skip when a real service is missing on a developer's machine; on CI
    (CI set) a missing service is a failure, never a silent skip."""
    if service_reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if os.environ.get("CI"):
        pytest.fail(f"{message}, and CI must run this test.")
    pytest.skip(f"{message}; start it (make test does) to run this test.")


@pytest.fixture
def postgres():
    require_service("PostgreSQL", "127.0.0.1", 5432)
    return "postgres://postgres@127.0.0.1:5432"


@pytest.fixture
def redis_url():
    require_service("Redis", "127.0.0.1", 6379)
    return "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def postgres_session(request):
    """Tests marked ``postgres`` that use the Django database must really run on
    PostgreSQL (make test runs them in a session with DATABASE_URL pointing there)."""
    if request.node.get_closest_marker("postgres") is None or request.node.get_closest_marker("django_db") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        message = "this test needs PostgreSQL: run it with DATABASE_URL=postgres://… (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def clear_cache():
    # Rate limits and rendered agendas live in the cache; tests start clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def travel_eligibility(db):
    """APEC's travel-eligible list as the data migration leaves it. Browser and
    live-server tests empty every table when they end (Django's
    TransactionTestCase), the migration's rows included, so a test run after
    them would find no economy eligible; the migration's own function puts
    the rows back (it fills only what is missing)."""
    from django.apps import apps

    importlib.import_module("travel.migrations.0002_seed_travel_eligibility").seed(apps, None)


@pytest.fixture
def auckland(db):
    return Venue.objects.create(name="Aotea Centre", city="Auckland", economy="NZ", timezone="Pacific/Auckland")


@pytest.fixture
def organiser(db):
    return make_user("organiser-a@example.org")


@pytest.fixture
def other_organiser(db):
    return make_user("organiser-b@example.org")


@pytest.fixture
def event(db, organiser, auckland):
    zone = ZoneInfo("Pacific/Auckland")
    return make_event(
        "nz-workshop",
        venue=auckland,
        starts_at=datetime(2031, 3, 3, 9, 0, tzinfo=zone),
        ends_at=datetime(2031, 3, 4, 17, 0, tzinfo=zone),
        organisers=[organiser],
    )


@pytest.fixture
def other_event(db, other_organiser, auckland):
    zone = ZoneInfo("Pacific/Auckland")
    return make_event(
        "other-event",
        venue=auckland,
        status=Event.Status.DRAFT,
        starts_at=datetime(2031, 5, 3, 9, 0, tzinfo=zone),
        ends_at=datetime(2031, 5, 3, 17, 0, tzinfo=zone),
        organisers=[other_organiser],
    )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's stand-alone S3 server on loopback, one per test session."""
    from .s3_server import S3Server

    server = S3Server()
    with open(tmp_path_factory.mktemp("s3") / "moto.log", "w") as log:
        server.start(log)
        yield server
        server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, tmp_path):
    """Default storage is a fresh private bucket on the S3 server for this test;
    this "web node" keeps its copies of documents in the test's own directory."""
    bucket = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_setting(bucket)}
    settings.STORED_FILE_CACHE_DIR = tmp_path / "file-cache"
    return bucket
