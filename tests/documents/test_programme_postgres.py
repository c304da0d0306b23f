"""The programme tests whose code path differs by database (the hand-written
SQL serving anonymous readers), again on PostgreSQL."""

import pytest

from . import test_programme

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

test_programme_is_rendered_once_and_then_served_from_storage = (
    test_programme.test_programme_is_rendered_once_and_then_served_from_storage
)
test_no_programme_before_publication_or_for_drafts = test_programme.test_no_programme_before_publication_or_for_drafts
