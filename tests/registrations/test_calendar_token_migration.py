"""Calendar tokens stored in clear before 0003_calendar_token_digest keep
opening their feed after it: the addresses people subscribed to go on working."""

import importlib
import secrets

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from registrations import calendar_feed
from registrations.models import CalendarToken

from ..factories import make_user

MIGRATION = ("registrations", "0003_calendar_token_digest")
migration_module = importlib.import_module("registrations.migrations.0003_calendar_token_digest")


def test_the_migration_digests_a_token_as_the_feed_looks_it_up():
    clear = secrets.token_urlsafe(32)
    assert migration_module.digest_and_hint(clear) == (calendar_feed.digest_of(clear), clear[-4:])


@pytest.mark.django_db(transaction=True)
def test_a_clear_token_from_before_the_migration_still_opens_the_feed(client):
    user = make_user("early-subscriber@example.org")
    executor = MigrationExecutor(connection)
    before = [
        dependency
        for dependency in executor.loader.get_migration(*MIGRATION).dependencies
        if dependency[0] == "registrations"
    ]
    executor.migrate(before)
    old_token = executor.loader.project_state(before).apps.get_model("registrations", "CalendarToken")
    clear = secrets.token_urlsafe(32)
    # As the old code kept it: the secret itself, in a unique column (digest left
    # empty here, so the test shows the migration computes it).
    old_token.objects.create(user_id=user.pk, token=clear, digest="")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    row = CalendarToken.objects.filter(user=user).values().get()
    assert clear not in str(row)
    assert row["digest"] == calendar_feed.digest_of(clear) and row["hint"] == clear[-4:]
    assert client.get(f"/calendar/{clear}.ics").status_code == 200
    assert client.get(f"/calendar/{secrets.token_urlsafe(32)}.ics").status_code == 404
