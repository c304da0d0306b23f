"""The printed programme (agenda.pdf), checked with pdftotext as a reader
would see it."""

import shutil
import subprocess
from datetime import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from events import documents, services
from events.models import AgendaVersion
from events.programme_files import PROGRAMME_PATH

from ..factories import add_item, add_items

pytestmark = pytest.mark.django_db


def pdf_text(content, tmp_path, layout=True):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed; make test installs it")
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    mode = ["-layout"] if layout else []  # without: reading order, one badge after another
    return subprocess.run(["pdftotext", *mode, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_count(content, tmp_path):
    path = tmp_path / "count.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def test_programme_shows_local_times_zone_version_speakers_and_escaped_text(client, programme_event, tmp_path):
    response = client.get(f"/events/{programme_event.slug}/agenda.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{programme_event.slug}-programme-v1.pdf"'
    content = b"".join(response.streaming_content)
    text = pdf_text(content, tmp_path)
    assert programme_event.title in text
    assert "Pacific/Auckland (NZDT, UTC+13:00)" in text
    assert "09:00–09:30" in text and "14:30–15:00" in text
    assert "Opening <img src=x onerror=alert(1)>" in text  # printed as text, not markup
    assert "Ms Aiko Tanaka, WIPO, Other / international organisation" in text
    assert "Works on the Hague System." in text
    assert "Monday 3 March 2031" in text and "Tuesday 4 March 2031" in text
    pages = page_count(content, tmp_path)
    assert 3 <= pages <= 5  # cover, two days, speakers
    assert text.count("Version 1, published") >= pages  # on every page, and on the cover


def test_programme_is_rendered_once_and_then_served_from_storage(client, programme_event, monkeypatch):
    calls = []
    original = documents.render_programme
    monkeypatch.setattr(documents, "render_programme", lambda *a: calls.append(1) or original(*a))
    first = b"".join(client.get(f"/events/{programme_event.slug}/agenda.pdf").streaming_content)
    second = b"".join(client.get(f"/events/{programme_event.slug}/agenda.pdf").streaming_content)
    assert first == second and len(calls) == 1
    assert AgendaVersion.objects.get(pk=programme_event.current_version_id).programme.name.endswith("-v1.pdf")


def test_publishing_queues_the_render(programme_event, organiser, django_capture_on_commit_callbacks):
    add_item(programme_event, "Late addition", datetime(2031, 3, 4, 16, 0))
    with django_capture_on_commit_callbacks(execute=True):
        version = services.publish_agenda(programme_event, actor=organiser)
    version.refresh_from_db()
    assert version.number == 2 and version.programme.name.endswith("-v2.pdf")


def test_large_agenda_shows_progress_and_queues_one_render(
    client, event, organiser, django_capture_on_commit_callbacks, monkeypatch
):
    add_items(event, 12, minutes=60)
    services.publish_agenda(event, actor=organiser)
    event.refresh_from_db()
    monkeypatch.setattr(documents, "INLINE_RENDER_LIMIT", 5)
    queued = []
    monkeypatch.setattr("events.tasks.render_programme.delay", lambda pk: queued.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/events/{event.slug}/agenda.pdf")
        client.get(f"/events/{event.slug}/agenda.pdf")
    assert response.status_code == 202 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Preparing the printed programme" in page and "http-equiv" not in page
    # The page polls its status URL (static/js/progress.js); without JavaScript, "Check again".
    assert f'data-progress-status="/events/{event.slug}/agenda.pdf/status/"' in page
    assert f'<a href="/events/{event.slug}/agenda.pdf">Check again</a>' in page
    status = client.get(f"/events/{event.slug}/agenda.pdf/status/")
    assert status["Cache-Control"] == "no-store"
    assert status.json()["state"] == "pending" and "12 sessions" in status.json()["text"]
    assert queued == [event.current_version_id]  # neither the second request nor the poll queued it again
    documents.ensure_programme(queued[0])
    ready = client.get(f"/events/{event.slug}/agenda.pdf/status/").json()
    assert (ready["state"], ready["url"]) == ("ready", f"/events/{event.slug}/agenda.pdf")
    assert client.get(f"/events/{event.slug}/agenda.pdf")["Content-Type"] == "application/pdf"


def test_no_programme_before_publication_or_for_drafts(client, event, other_event):
    assert client.get(f"/events/{event.slug}/agenda.pdf").status_code == 404
    assert client.get(f"/events/{other_event.slug}/agenda.pdf").status_code == 404
    assert client.get(f"/events/{event.slug}/agenda.pdf/status/").status_code == 404
    assert client.get(f"/events/{other_event.slug}/agenda.pdf/status/").status_code == 404


def test_rendering_never_fetches_from_the_network():
    fetcher = documents.StaticOnlyFetcher()
    for url in ("http://169.254.169.254/latest/meta-data/", "https://example.org/x.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="does not fetch"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello") is not None


@override_settings(STATICFILES_DIRS=[])
def test_a_remote_image_in_the_html_is_not_loaded(tmp_path, monkeypatch):
    fetched = []
    monkeypatch.setattr(documents.URLFetcher, "fetch", lambda self, url, headers=None: fetched.append(url))
    from weasyprint import HTML

    HTML(string='<img src="http://127.0.0.1:9/x.png">', url_fetcher=documents.StaticOnlyFetcher()).write_pdf()
    assert fetched == []


def test_anonymous_readers_get_the_stored_programme_before_sessions_and_with_one_query(
    client, programme_event, django_assert_num_queries
):
    documents.ensure_programme(programme_event.current_version_id)
    stored = AgendaVersion.objects.get(pk=programme_event.current_version_id).programme.read()
    with django_assert_num_queries(1):
        response = client.get(reverse("events:agenda_pdf", args=[programme_event.slug]))
    assert b"".join(response.streaming_content) == stored
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    # Answered without a session, so a shared cache may keep it for everyone.
    assert "Cookie" not in response.get("Vary", "") and not response.cookies


def test_signed_in_readers_and_unpublished_events_go_through_the_view(
    client, programme_event, organiser, other_organiser
):
    documents.ensure_programme(programme_event.current_version_id)
    client.force_login(organiser)
    response = client.get(f"/events/{programme_event.slug}/agenda.pdf")
    assert response["Content-Type"] == "application/pdf" and "Cookie" in response["Vary"]
    client.logout()
    programme_event.status = "draft"
    programme_event.save(update_fields=["status"])
    assert client.get(f"/events/{programme_event.slug}/agenda.pdf").status_code == 404  # stored, but not public
    client.force_login(organiser)
    assert client.get(f"/events/{programme_event.slug}/agenda.pdf")["Content-Type"] == "application/pdf"
    client.force_login(other_organiser)
    assert client.get(f"/events/{programme_event.slug}/agenda.pdf").status_code == 404


@pytest.mark.parametrize("slug", ["nz-workshop", "ipeg_02_2020s", "som1-2031"])
def test_the_fast_path_matches_the_programme_url(slug):
    path = reverse("events:agenda_pdf", args=[slug])
    assert PROGRAMME_PATH.fullmatch(path)["slug"] == slug
    assert not PROGRAMME_PATH.fullmatch(path + "x") and not PROGRAMME_PATH.fullmatch(path + "\n")


def test_the_fast_path_refuses_hosts_outside_allowed_hosts(client, programme_event):
    documents.ensure_programme(programme_event.current_version_id)
    response = client.get(f"/events/{programme_event.slug}/agenda.pdf", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert client.get(f"/events/{programme_event.slug}/agenda.pdf%0A").status_code == 404
