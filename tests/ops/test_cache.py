"""The Redis cache with its per-process fallback, against a real Redis and
against a port where no Redis answers."""

import pytest

from ops.cache import RedisWithFallbackCache

from ..smtp_sink import free_port

OPTIONS = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "RETRY_AFTER": 60}


def cache_at(url):
    return RedisWithFallbackCache(url, {"OPTIONS": dict(OPTIONS), "KEY_PREFIX": "cache-test"})


def test_values_go_to_redis_and_are_shared_between_processes(redis_url):
    writer, reader = cache_at(redis_url), cache_at(redis_url)
    writer.clear()
    assert writer.add("lock", True, timeout=5) is True
    assert reader.add("lock", True, timeout=5) is False  # the lock allauth's rate limiter takes is shared
    writer.set("agenda", "<html>v3</html>")
    assert reader.get("agenda") == "<html>v3</html>"


def test_with_redis_unreachable_every_call_answers_from_process_memory():
    cache = cache_at(f"redis://127.0.0.1:{free_port()}/0")
    assert cache.get("agenda") is None
    assert cache.add("lock", True, timeout=5) is True  # sign-in is not refused for want of a lock
    assert cache.add("lock", True, timeout=5) is False
    cache.set("agenda", "<html>v3</html>")
    assert cache.get("agenda") == "<html>v3</html>"
    assert cache.get_many(["agenda", "other"]) == {"agenda": "<html>v3</html>"}
    cache.delete("agenda")
    assert cache.has_key("agenda") is False


def test_redis_is_tried_again_after_the_outage_window(redis_url, monkeypatch):
    import time

    cache = cache_at(redis_url)
    cache.clear()
    cache.down_until = time.monotonic() + 60  # as after a failure
    cache.set("during-outage", 1)
    assert cache_at(redis_url).get("during-outage") is None  # kept in this process only
    monkeypatch.setattr(cache, "down_until", 0.0)
    cache.set("after-outage", 2)
    assert cache_at(redis_url).get("after-outage") == 2


@pytest.fixture(autouse=True)
def _clean(redis_url):
    yield
    cache_at(redis_url).clear()
