"""Progress pages poll a status URL (static/js/progress.js) instead of
reloading themselves: each status URL answers JSON, and only to those who may
see the page it belongs to."""

import re
from pathlib import Path

import pytest

from events import documents, services
from events.models import Event
from registrations import reminders
from registrations.models import GeneratedDocument, Registration

from ..factories import add_items

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
META_REFRESH = re.compile(r"http-equiv\s*=\s*[\"']?refresh", re.IGNORECASE)


def test_no_template_reloads_itself_with_meta_refresh():
    # axe-core: meta-refresh is critical; the pages poll a status URL instead.
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*")
        if path.is_file() and META_REFRESH.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []


def test_programme_status_is_public_only_for_public_events(
    client, event, other_event, organiser, other_organiser, monkeypatch
):
    monkeypatch.setattr(documents, "INLINE_RENDER_LIMIT", 1)
    monkeypatch.setattr("events.tasks.render_programme.delay", lambda pk: None)
    for each, by in ((event, organiser), (other_event, other_organiser)):
        add_items(each, 3)
        services.publish_agenda(each, actor=by)
    # other_event is a draft: its agenda is published, the event is not.
    assert client.get(f"/events/{other_event.slug}/agenda.pdf/status/").status_code == 404
    client.force_login(organiser)
    assert client.get(f"/events/{other_event.slug}/agenda.pdf/status/").status_code == 404
    client.force_login(other_organiser)
    assert client.get(f"/events/{other_event.slug}/agenda.pdf/status/").json()["state"] == "pending"
    client.logout()
    answer = client.get(f"/events/{event.slug}/agenda.pdf/status/").json()
    assert answer["state"] == "pending" and answer["text"].startswith("The programme of 3 sessions is being typeset.")
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    assert client.get(f"/events/{event.slug}/agenda.pdf/status/").status_code == 404


def test_desk_status_urls_answer_the_events_organisers_only(client, workshop, organiser, other_organiser, people):
    from registrations import services as registration_services

    Event.objects.filter(pk=workshop.pk).update(capacity=None)
    for user in people(3):
        registration_services.register(workshop, user)
    job = GeneratedDocument.objects.create(event=workshop, kind="badges", items=3)
    message = reminders.send_organiser_message(
        workshop, organiser, "Bus", "At 8.", {}, Registration.objects.filter(event=workshop)
    )
    urls = [
        f"/desk/events/{workshop.slug}/files/{job.pk}/status/",
        f"/desk/events/{workshop.slug}/messages/{message.pk}/status/",
    ]
    for url in urls:
        assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(other_organiser)
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(urls[0]).json()["state"] == "pending"
    job.status = GeneratedDocument.Status.FAILED
    job.error = "WeasyPrint ran out of memory"
    job.save()
    assert client.get(urls[0]).json() == {
        "state": "failed",
        "text": "It could not be made: WeasyPrint ran out of memory",
        "done": None,
        "total": None,
        "finished": True,
    }
    sending = client.get(urls[1]).json()
    assert (sending["state"], sending["done"], sending["total"]) == ("running", 0, 3)
