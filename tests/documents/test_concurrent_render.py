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
    version = services.publish_agenda(event, actor=organiser)
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


def test_simultaneous_first_requests_print_a_public_list_once(event, organiser, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events import rendered_lists
    from events.models import Event, RenderedList

    services.add_document(
        event, "Public paper", SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"), "application/pdf", "public", actor=organiser
    )
    renders = []
    original = documents.render_pdf

    def counted(*args):
        renders.append(1)
        return original(*args)

    monkeypatch.setattr(documents, "render_pdf", counted)
    barrier = threading.Barrier(6)
    names = []

    def request():
        barrier.wait()
        try:
            reader_event = Event.objects.select_related("venue", "cluster").get(pk=event.pk)
            snapshot = rendered_lists.BUILDERS["documents-public"](reader_event)
            names.append(rendered_lists.stored_or_pending(reader_event, "documents-public", snapshot))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(renders) == 1
    assert len(names) == 6 and len(set(names)) == 1 and names[0]
    assert RenderedList.objects.count() == 1
