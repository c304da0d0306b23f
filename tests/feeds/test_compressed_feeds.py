"""Feeds go out gzip-compressed to clients that accept it, compressed once per
change of the data, and still answer conditional requests with a 304."""

import gzip

import pytest

from events import calendar, services
from registrations import calendar_feed

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "br, gzip, deflate"}


def test_a_client_that_accepts_gzip_gets_the_same_calendar_compressed(client, nz_event):
    path = f"/events/{nz_event.slug}/agenda.ics"
    plain = client.get(path)
    packed = client.get(path, **GZIP)
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert packed["ETag"] != plain["ETag"]  # two representations, two tags


def test_the_compressed_copy_is_made_once_per_change(client, nz_event, organiser, monkeypatch):
    builds = []
    real = calendar.agenda_feed
    monkeypatch.setattr(calendar, "agenda_feed", lambda *args: builds.append(1) or real(*args))
    path = f"/events/{nz_event.slug}/agenda.ics"
    first, second = client.get(path, **GZIP), client.get(path, **GZIP)
    assert first.content == second.content  # same bytes for the same data
    client.get(path)
    assert len(builds) == 1  # built once, compressed once, served three times

    item = nz_event.draft_items.first()
    item.room = "Room 9"
    item.save()
    services.publish_agenda(nz_event, actor=organiser)
    assert b"Room 9" in gzip.decompress(client.get(path, **GZIP).content)


def test_a_compressed_poll_with_its_tag_is_answered_304(client, nz_event, subscriber):
    for path in (f"/events/{nz_event.slug}/agenda.ics", f"/calendar/{calendar_feed.regenerate(subscriber)}.ics"):
        tag = client.get(path, **GZIP)["ETag"]
        again = client.get(path, HTTP_IF_NONE_MATCH=tag, **GZIP)
        assert again.status_code == 304 and again.content == b""
        assert "Accept-Encoding" in again["Vary"]
