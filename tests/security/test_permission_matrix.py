"""Who may open and use each URL of the site: one cell per URL pattern, role
and method. Roles: anonymous, a signed-in participant, the owner of a
registration, the owner, an organiser, check-in staff and a viewer of this
event, an organiser of another event, and staff. A refused request answers 403 or 404, shows nothing confidential and
changes nothing; an allowed action really acts."""

import pytest

from .world import (
    ALLOWED,
    CONFIDENTIAL,
    LOGIN,
    ROLES,
    ROUTES,
    expected_access,
    state_of,
    url_of,
    url_pattern_names,
    user_for,
)

pytestmark = pytest.mark.django_db

CELLS = [
    pytest.param(route, role, method, id=f"{route.name}-{role}-{method}")
    for route in ROUTES
    for method in (("GET",) if route.get else ()) + (("POST",) if route.post else ())
    for role in ROLES
]


def test_every_url_pattern_has_a_row_in_the_matrix():
    rows = {route.name for route in ROUTES}
    assert url_pattern_names() - rows == set(), "give each new URL pattern a row in tests/security/world.py"
    assert rows - url_pattern_names() == set(), "rows name URL patterns that no longer exist"


@pytest.mark.parametrize(("route", "role", "method"), CELLS)
def test_role_gets_what_its_access_allows(client, world, route, role, method):
    expected = expected_access(route, role, method)
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    url = url_of(route, world)
    before = state_of(world)
    response = client.get(url) if method == "GET" else client.post(url, route.post(world))
    if response.get("Location", "").startswith("/admin/login/") and user is not None:
        # The admin sends signed-in people without access to its sign-in,
        # which refuses them (config/urls.py): that refusal is the answer.
        response = client.get(response["Location"])
    status, location = response.status_code, response.get("Location", "")
    body = b"" if response.streaming else response.content

    if expected == LOGIN:
        assert status == 302 and location.startswith(("/accounts/login/", "/admin/login/")), (status, location)
    elif expected == ALLOWED:
        assert status < 400 and not location.startswith("/accounts/login/"), (status, location)
        if method == "POST" and route.changes:
            assert state_of(world) != before, "the allowed action changed nothing: is the form data right?"
    else:
        assert status in (403, 404), status
        assert CONFIDENTIAL.encode() not in body
    if expected != ALLOWED:
        assert state_of(world) == before
