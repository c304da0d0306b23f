"""Concurrent first requests for a programme render it once (PostgreSQL row lock)."""

import threading
from datetime import datetime

import pytest
from django.db import connections

from events import documents, services
from events.models import AgendaVersion

from ..factories import add_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_first_requests_render_the_programme_once(event, organiser, monkeypatch):
    add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    version = services.publish_agenda(event, organiser)
    # Publication already had the worker (eager here) render it; start again from "not rendered".
    assert AgendaVersion.objects.get(pk=version.pk).programme
    AgendaVersion.objects.filter(pk=version.pk).update(programme="")
    renders = []
    original = documents.render_programme

    def counted(*args):
        renders.append(1)
        return original(*args)

    monkeypatch.setattr(documents, "render_programme", counted)
    barrier = threading.Barrier(6)
    names = []

    def request():
        barrier.wait()
        try:
            names.append(documents.ensure_programme(version.pk).programme.name)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(renders) == 1
    assert len(names) == 6 and len(set(names)) == 1
