"""Generated bad input to every URL as anonymous, participant and organiser,
on SQLite: no answer is a server error. (test_fuzz_postgres.py: the same on
PostgreSQL, which refuses NUL and checks integer ranges itself.)"""

import pytest

from .fuzz import FUZZ_ROLES, fuzz_route
from .world import ROUTES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", FUZZ_ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_generated_requests_never_get_a_server_error(client, world, route, role):
    fuzz_route(client, world, route, role)
