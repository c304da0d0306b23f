"""The public list of documents and the public list of participants are
printed once per state of what they show and then served from storage; any
change to what they print gives a fresh PDF on the next request."""

from datetime import datetime

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile

from events import rendered_lists
from events import services as event_services
from events.models import MeetingDocument, RenderedList
from registrations import services as registrations
from registrations.models import Registration

from ..factories import add_item, make_user
from .test_meeting_documents import PDF
from .test_programme import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Every real WeasyPrint render, counted (and carried out)."""
    calls = []
    original = weasyprint.HTML.write_pdf

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    return calls


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def add(event, organiser, title, access="public", item_uid=None):
    return event_services.add_document(
        event, title, SimpleUploadedFile("a.pdf", PDF), "application/pdf", access, actor=organiser, item_uid=item_uid
    )


@pytest.fixture
def papers(event, organiser):
    add(event, organiser, "Public paper")
    add(event, organiser, "Delegates paper", access="registered")
    add(event, organiser, "Organisers paper", access="organisers")
    return event


def test_documents_list_is_printed_once_and_then_served_from_storage(client, papers, renders, tmp_path):
    path = f"/events/{papers.slug}/documents.pdf"
    first = fetch(client, path)
    second = fetch(client, path)
    assert len(renders) == 1 and first == second
    assert client.get(path)["Content-Disposition"] == f'inline; filename="{papers.slug}-documents.pdf"'
    assert "Public paper" in pdf_text(first, tmp_path)


def test_each_change_to_the_documents_list_prints_it_anew(client, papers, organiser, renders, tmp_path):
    path = f"/events/{papers.slug}/documents.pdf"
    fetch(client, path)
    assert len(renders) == 1

    add(papers, organiser, "Chair's summary")  # a new document
    text = pdf_text(fetch(client, path), tmp_path)
    assert len(renders) == 2 and "Chair's summary" in text
    fetch(client, path)
    assert len(renders) == 2

    public = MeetingDocument.objects.get(title="Public paper")  # a new revision
    event_services.replace_document(public, SimpleUploadedFile("b.pdf", PDF), "application/pdf", actor=organiser)
    text = pdf_text(fetch(client, path), tmp_path)
    assert len(renders) == 3
    assert [line.split()[-1] for line in text.splitlines() if "Public paper" in line] == ["2"]

    MeetingDocument.objects.filter(pk=public.pk).update(title="Public paper, revised")  # a title corrected
    assert "Public paper, revised" in pdf_text(fetch(client, path), tmp_path)
    assert len(renders) == 4

    # The agenda item a document belongs to is renamed in a new published version.
    add_item(papers, "Designs panel", datetime(2031, 3, 3, 10, 0))
    event_services.publish_agenda(papers, actor=organiser)
    papers.refresh_from_db()
    item = papers.current_version.items.get()
    add(papers, organiser, "Panel slides", item_uid=item.uid)
    assert "Designs panel" in pdf_text(fetch(client, path), tmp_path)
    draft = papers.draft_items.get()
    draft.title = "Industrial designs panel"
    draft.save()
    renders_before = len(renders)
    event_services.publish_agenda(papers, actor=organiser)
    assert "Industrial designs panel" in pdf_text(fetch(client, path), tmp_path)
    assert len(renders) == renders_before + 1


def test_registered_only_titles_never_reach_the_public_copy(client, papers, organiser, renders, tmp_path):
    participant = make_user("participant@example.org")
    registrations.register(papers, participant)
    Registration.objects.filter(user=participant).update(status=Registration.Status.CONFIRMED)
    path = f"/events/{papers.slug}/documents.pdf"

    client.force_login(participant)  # the registered copy is made first
    registered = pdf_text(fetch(client, path), tmp_path)
    assert "Delegates paper" in registered and "Organisers paper" not in registered
    client.logout()
    public = pdf_text(fetch(client, path), tmp_path)
    assert "Public paper" in public and "Delegates paper" not in public and "Organisers paper" not in public
    client.force_login(organiser)
    everything = pdf_text(fetch(client, path), tmp_path)
    assert "Organisers paper" in everything
    assert len(renders) == 3  # one copy per audience

    # Served again, each audience still gets its own copy.
    client.logout()
    assert "Delegates paper" not in pdf_text(fetch(client, path), tmp_path)
    client.force_login(participant)
    assert "Delegates paper" in pdf_text(fetch(client, path), tmp_path)
    assert len(renders) == 3
    stored = dict(RenderedList.objects.values_list("kind", "file"))
    assert set(stored) == {"documents-public", "documents-registered", "documents-organisers"}
    with RenderedList.objects.get(kind="documents-public").file.open("rb") as copy:
        assert "Delegates paper" not in pdf_text(copy.read(), tmp_path)


@pytest.mark.parametrize("documents", [3, 30])
def test_a_stored_documents_list_costs_a_few_queries_whatever_its_length(
    client, event, organiser, documents, django_assert_max_num_queries
):
    for number in range(documents):
        add(event, organiser, f"Paper {number}")
    path = f"/events/{event.slug}/documents.pdf"
    fetch(client, path)
    with django_assert_max_num_queries(3):  # the event, the document rows, the stored file's row
        fetch(client, path)


def test_participant_list_is_printed_once_and_then_served_from_storage(client, workshop, filled, renders):
    path = f"/events/{workshop.slug}/participants.pdf"
    first = fetch(client, path)
    second = fetch(client, path)
    assert len(renders) == 1 and first == second
    assert client.get(path)["Content-Disposition"] == f'inline; filename="{workshop.slug}-participants-public.pdf"'


def test_each_change_to_the_participant_list_prints_it_anew(client, workshop, filled, renders, tmp_path):
    path = f"/events/{workshop.slug}/participants.pdf"
    text = pdf_text(fetch(client, path), tmp_path)
    assert "Aisyah" in text and "MBIE" not in text and "IPONZ" not in text  # waitlisted; did not agree

    # A seat frees up: the waitlisted delegate who agreed to be listed is confirmed.
    registrations.cancel(workshop.registrations.get(user=filled[1]), actor=None)
    assert workshop.registrations.get(user=filled[2]).status == Registration.Status.CONFIRMED
    text = pdf_text(fetch(client, path), tmp_path)
    assert len(renders) == 2 and "MBIE" in text and "Delegate 2" in text

    profile = filled[2].profile  # a name corrected
    profile.full_name = "Tama Ngata"
    profile.save()
    text = pdf_text(fetch(client, path), tmp_path)
    assert len(renders) == 3 and "Tama Ngata" in text and "Delegate 2" not in text

    # Consent withdrawn.
    Registration.objects.filter(event=workshop, user=filled[0]).update(share_in_public_list=False)
    text = pdf_text(fetch(client, path), tmp_path)
    assert len(renders) == 4 and "Aisyah" not in text and "MyIPO" not in text

    fetch(client, path)
    assert len(renders) == 4

    # A delegate who never agreed to be listed is confirmed: nothing printed changes, nothing is rendered.
    late = make_user("late@example.org", full_name="Late Delegate")
    registrations.set_capacity(workshop, 5, actor=None)
    registrations.register(workshop, late, economy="PE", organisation="INDECOPI", share_in_public_list=False)
    fetch(client, path)
    assert len(renders) == 4


@pytest.mark.parametrize("people", [2, 20])
def test_a_stored_participant_list_costs_a_few_queries_whatever_its_length(
    client, workshop, people, django_assert_max_num_queries
):
    from ..factories import make_user

    registrations.set_capacity(workshop, people, actor=None)
    for number in range(people):
        user = make_user(f"p{number}@example.org", full_name=f"Person {number}")
        registrations.register(workshop, user, economy="NZ", organisation="IPONZ", share_in_public_list=True)
    path = f"/events/{workshop.slug}/participants.pdf"
    fetch(client, path)
    with django_assert_max_num_queries(3):  # the event, the listed rows, the stored file's row
        fetch(client, path)


def test_a_long_list_is_printed_by_the_worker_behind_a_progress_page(
    client, workshop, filled, renders, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(rendered_lists, "INLINE_RENDER_LIMIT", 0)
    queued = []
    monkeypatch.setattr("events.tasks.render_list.delay", lambda pk: queued.append(pk))
    path = f"/events/{workshop.slug}/participants.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path)
        client.get(path)
    assert response.status_code == 202 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Preparing the printed list of participants" in page and "http-equiv" not in page
    assert f'data-progress-status="{path}/status/"' in page and f'<a href="{path}">Check again</a>' in page
    with django_capture_on_commit_callbacks(execute=True):
        status = client.get(f"{path}/status/").json()
    assert status["state"] == "pending" and status["text"].startswith("The list of participants (1 entry) is being")
    assert len(queued) == 1 and not renders  # neither the second reader nor the poll queued it again
    rendered_lists.render_queued(queued[0])
    assert len(renders) == 1
    status = client.get(f"{path}/status/").json()
    assert (status["state"], status["url"]) == ("ready", path)
    assert fetch(client, path).startswith(b"%PDF-")


def test_the_worker_drops_a_queued_list_whose_data_changed_meanwhile(
    client, workshop, filled, renders, monkeypatch, django_capture_on_commit_callbacks, tmp_path
):
    monkeypatch.setattr(rendered_lists, "INLINE_RENDER_LIMIT", 0)
    queued = []
    monkeypatch.setattr("events.tasks.render_list.delay", lambda pk: queued.append(pk))
    path = f"/events/{workshop.slug}/participants.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(path)
    profile = filled[0].profile
    profile.full_name = "Siti Aisyah"
    profile.save()
    rendered_lists.render_queued(queued[0])
    assert not renders and not RenderedList.objects.get(pk=queued[0]).file  # not stored under a stale key
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(path).status_code == 202
    rendered_lists.render_queued(queued[1])
    assert len(renders) == 1 and "Siti Aisyah" in pdf_text(fetch(client, path), tmp_path)


def test_superseded_copies_are_deleted_once_a_newer_one_is_stored(client, workshop, filled, settings):
    from datetime import timedelta

    path = f"/events/{workshop.slug}/participants.pdf"
    fetch(client, path)
    old = RenderedList.objects.get()
    old_name = old.file.name
    RenderedList.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(hours=1))
    Registration.objects.filter(event=workshop, user=filled[0]).update(share_in_public_list=False)
    fetch(client, path)
    assert list(RenderedList.objects.values_list("kind", flat=True)) == ["participants-public"]
    assert not old.file.storage.exists(old_name)


def test_no_list_for_a_draft_event(client, other_event, renders):
    assert client.get(f"/events/{other_event.slug}/participants.pdf").status_code == 404
    assert client.get(f"/events/{other_event.slug}/documents.pdf").status_code == 404
    assert not renders
