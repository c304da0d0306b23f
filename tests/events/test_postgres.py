"""On PostgreSQL: the migrations and demo apply, and concurrent publications
of one agenda are serialised by the row lock on the event."""

import json
import uuid

import psycopg
import pytest

from ..processes import manage, project_env

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CONCURRENT_PUBLISH = """
import json
import threading
from datetime import timedelta
from django.db import connection
from events import services
from events.models import AgendaItem, Event

event = Event.objects.get(slug="industrial-design-workshop-penang")
start = event.current_version.number
barrier = threading.Barrier(8)
outcomes = []

def publish(n):
    try:
        AgendaItem.objects.create(event=event, title=f"Late addition {n}",
                                  starts_at=event.starts_at + timedelta(minutes=n), ends_at=event.ends_at)
        barrier.wait()
        outcomes.append(services.publish_agenda(event, actor=None).number)
    except services.NothingToPublish:
        outcomes.append("nothing")
    except Exception as error:
        outcomes.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=publish, args=(n,)) for n in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
latest = Event.objects.get(pk=event.pk).current_version
print(json.dumps({
    "start": start,
    "numbers": sorted(o for o in outcomes if isinstance(o, int)),
    "errors": [o for o in outcomes if isinstance(o, str) and o != "nothing"],
    "latest": latest.number,
    "late_items_in_latest": latest.items.filter(title__startswith="Late addition").count(),
}))
"""


@pytest.fixture
def pg_database(postgres):
    name = f"ipeg_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{postgres}/{name}"
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrations_demo_and_concurrent_publishing_on_postgres(pg_database, tmp_path):
    env = project_env(DATABASE_URL=pg_database, VAR_DIR=str(tmp_path))
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", env=env)
    manage("seed_demo", env=env)
    output = manage("shell", "-c", CONCURRENT_PUBLISH, env=env)
    result = json.loads(output.strip().splitlines()[-1])
    assert result["errors"] == []
    # Every successful publication got its own number, one after another, and
    # the latest version holds all eight additions.
    start, numbers = result["start"], result["numbers"]
    assert numbers == list(range(start + 1, start + 1 + len(numbers)))
    assert result["latest"] == start + len(numbers)
    assert result["late_items_in_latest"] == 8
