"""The fuzz test of test_fuzz.py on PostgreSQL, which refuses NUL in text and
checks integer ranges where SQLite lets both through."""

import pytest

from .fuzz import FUZZ_ROLES, fuzz_route
from .world import ROUTES

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.parametrize("role", FUZZ_ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_generated_requests_never_get_a_server_error_on_postgresql(client, world, route, role):
    fuzz_route(client, world, route, role)
