import pytest
from django.contrib.auth import get_user_model

from ..factories import PASSWORD, make_user


@pytest.fixture
def people(db):
    def make(count, prefix="delegate"):
        return [make_user(f"{prefix}{n}@example.org", full_name=f"Delegate {n}") for n in range(count)]

    return make


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin@example.org", PASSWORD)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
