"""Concurrent first requests for a programme render it once (PostgreSQL row lock)."""

import threading
from datetime import datetime

import pytest
from django.db import connections

from events import documents, services
from events.models import AgendaVersion

from ..factories import add_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

READERS = 6


def count_calls(monkeypatch, module, name):
    """Wraps ``module.name`` so that each call is counted and still made."""
    calls = []
    original = getattr(module, name)

    def counted(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(module, name, counted)
    return calls


def all_at_once(first_request):
    """What READERS threads get from ``first_request()`` started together,
    each on its own database connection."""
    barrier = threading.Barrier(READERS)
    answers = []

    def request():
        barrier.wait()
        try:
            answers.append(first_request())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_simultaneous_first_requests_render_the_programme_once(event, organiser, monkeypatch):
    add_item(event, "Opening", datetime(2031, 3, 3, 9, 0))
    version = services.publish_agenda(event, actor=organiser)
    # Publication already had the worker (eager here) render it; start again from "not rendered".
    assert AgendaVersion.objects.get(pk=version.pk).programme
    AgendaVersion.objects.filter(pk=version.pk).update(programme="")
    renders = count_calls(monkeypatch, documents, "render_programme")
    names = all_at_once(lambda: documents.ensure_programme(version.pk).programme.name)
    assert len(renders) == 1
    assert len(names) == 6 and len(set(names)) == 1


def test_simultaneous_first_requests_print_a_public_list_once(event, organiser, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events import rendered_lists
    from events.models import Event, RenderedList

    services.add_document(
        event, "Public paper", SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"), "application/pdf", "public", actor=organiser
    )
    renders = count_calls(monkeypatch, documents, "render_pdf")

    def first_request():
        reader_event = Event.objects.select_related("venue", "cluster").get(pk=event.pk)
        snapshot = rendered_lists.BUILDERS["documents-public"](reader_event)
        return rendered_lists.stored_or_pending(reader_event, "documents-public", snapshot)

    names = all_at_once(first_request)
    assert len(renders) == 1
    assert len(names) == 6 and len(set(names)) == 1 and names[0]
    assert RenderedList.objects.count() == 1
