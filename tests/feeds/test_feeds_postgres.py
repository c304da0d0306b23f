"""The feed tests whose code path differs by database (the hand-written SQL
of the agenda feed's change mark, JSON and timestamp types) again, on PostgreSQL."""

import pytest

from . import test_feeds

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

test_same_data_same_bytes_and_304_on_conditional_requests = (
    test_feeds.test_same_data_same_bytes_and_304_on_conditional_requests
)
test_removed_item_stays_cancelled_with_a_higher_sequence_then_expires = (
    test_feeds.test_removed_item_stays_cancelled_with_a_higher_sequence_then_expires
)
test_a_change_gives_a_new_etag = test_feeds.test_a_change_gives_a_new_etag
test_personal_feed_has_my_events_and_their_agendas = test_feeds.test_personal_feed_has_my_events_and_their_agendas
test_draft_event_feeds_are_404 = test_feeds.test_draft_event_feeds_are_404
