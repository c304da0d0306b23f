import pytest
from django.core.management import call_command
from django.test import override_settings

from .world import build_world

FUZZ_TOTALS = {"requests": 0, "server_errors": 0}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module and committed; each test runs in a transaction
    rolled back after it, so every test starts from this same world."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        world = build_world()
        yield world
        call_command("flush", interactive=False, verbosity=0)


def pytest_terminal_summary(terminalreporter):
    if FUZZ_TOTALS["requests"]:
        terminalreporter.write_line(
            f"fuzz: {FUZZ_TOTALS['requests']} requests, {FUZZ_TOTALS['server_errors']} answered 5xx"
        )
