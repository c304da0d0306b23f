import io
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events import services as event_services
from events.models import MeetingCluster, MeetingDocument
from registrations import services as registrations

from ..factories import add_item, make_event, make_user
from .test_programme import pdf_text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(main_part="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


@pytest.fixture
def clustered(event, organiser):
    cluster = MeetingCluster.objects.create(
        slug="som1-2031-auckland", meeting="SOM1", year=2031, host_city="Auckland", host_economy="NZ",
        start_date="2031-03-01", end_date="2031-03-10",
    )  # fmt: skip
    event.cluster = cluster
    event.save()
    return event


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def upload(desk, event, name, content, access="public", title="Draft best practices"):
    return desk.post(
        f"/desk/events/{event.slug}/documents/",
        {"title": title, "access": access, "item": "", "file": SimpleUploadedFile(name, content)},
    )


def test_uploads_are_numbered_the_apec_way_across_the_cluster(desk, clustered, organiser):
    upload(desk, clustered, "agenda.pdf", PDF)
    upload(desk, clustered, "notes.docx", docx_bytes())
    sibling = make_event("sibling-meeting", cluster=clustered.cluster, organisers=[organiser])
    upload(desk, sibling, "report.pdf", PDF)
    assert list(MeetingDocument.objects.order_by("pk").values_list("number", flat=True)) == [
        "2031/SOM1/IPEG/001", "2031/SOM1/IPEG/002", "2031/SOM1/IPEG/003",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"plain text", "Upload a PDF, Word (.docx), PowerPoint (.pptx) or Excel (.xlsx) file."),
        ("setup.pdf", b"MZ\x90\x00 an executable", "This file is named .pdf but is not a PDF."),
        ("slides.pptx", docx_bytes(), "This file is named .pptx but is not a real .pptx document."),
        ("fake.docx", b"PK\x03\x04 not really a zip", "This file is named .docx but is not a real .docx document."),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(desk, clustered, name, content, message):
    response = upload(desk, clustered, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeetingDocument.objects.exists()


def test_oversized_uploads_are_refused(desk, clustered, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = upload(desk, clustered, "big.pdf", PDF + b"0" * 2048)
    assert "The file is larger than" in response.content.decode()
    assert not MeetingDocument.objects.exists()


def test_replacing_keeps_the_number_and_records_a_revision(desk, clustered, client):
    upload(desk, clustered, "draft.pdf", PDF)
    document = MeetingDocument.objects.get()
    desk.post(
        f"/desk/events/{clustered.slug}/documents/{document.pk}/replace/",
        {"file": SimpleUploadedFile("final.pdf", PDF + b"%final")},
    )
    assert list(document.revisions.values_list("revision", flat=True)) == [2, 1]
    download = client.get(f"/events/{clustered.slug}/documents/{document.pk}/download/")
    assert b"".join(download.streaming_content).endswith(b"%final")
    assert "final.pdf" in download["Content-Disposition"]


def test_downloads_are_attachments_of_the_detected_type(desk, clustered, client):
    upload(desk, clustered, "notes.docx", docx_bytes())
    document = MeetingDocument.objects.get()
    response = client.get(f"/events/{clustered.slug}/documents/{document.pk}/download/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_access_levels_hold_for_every_role(desk, clustered, client, other_organiser):
    upload(desk, clustered, "a.pdf", PDF, access="public", title="Public paper")
    upload(desk, clustered, "b.pdf", PDF, access="registered", title="Delegates paper")
    upload(desk, clustered, "c.pdf", PDF, access="organisers", title="Organisers paper")
    public, delegates, organisers = MeetingDocument.objects.order_by("sequence")

    def visible(viewer):
        client.logout()
        if viewer:
            client.force_login(viewer)
        page = client.get(f"/events/{clustered.slug}/documents/").content.decode()
        allowed = {d.title for d in (public, delegates, organisers) if d.title in page}
        for document in (public, delegates, organisers):
            status = client.get(f"/events/{clustered.slug}/documents/{document.pk}/download/").status_code
            assert (status == 200) == (document.title in allowed), (viewer, document.title, status)
        return allowed

    delegate = make_user("delegate@example.org")
    registrations.register(clustered, delegate)
    assert visible(None) == {"Public paper"}
    assert visible(make_user("stranger@example.org")) == {"Public paper"}
    assert visible(delegate) == {"Public paper", "Delegates paper"}
    assert visible(other_organiser) == {"Public paper"}
    assert visible(clustered.organisers.get()) == {"Public paper", "Delegates paper", "Organisers paper"}


def test_only_the_events_organisers_upload(client, clustered, other_organiser):
    client.force_login(other_organiser)
    response = client.post(
        f"/desk/events/{clustered.slug}/documents/",
        {"title": "x", "access": "public", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 404
    assert not MeetingDocument.objects.exists()


def test_list_of_documents_pdf(desk, clustered, client, tmp_path):
    upload(desk, clustered, "a.pdf", PDF, title="Draft <i>best</i> practices")
    response = client.get(f"/events/{clustered.slug}/documents.pdf")
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "2031/SOM1/IPEG/001" in text and "Draft <i>best</i> practices" in text


def test_a_document_for_an_agenda_item_names_its_session_in_the_list_and_the_pdf(desk, clustered, organiser, tmp_path):
    add_item(clustered, "Industrial designs panel", datetime(2031, 3, 4, 14, 30))
    event_services.publish_agenda(clustered, actor=organiser)
    clustered.refresh_from_db()
    (item,) = clustered.current_version.items.all()
    desk.post(
        f"/desk/events/{clustered.slug}/documents/",
        {"title": "Panel slides", "access": "public", "item": str(item.uid), "file": SimpleUploadedFile("s.pdf", PDF)},
    )
    upload(desk, clustered, "report.pdf", PDF, title="Chair's report")
    page = desk.get(f"/events/{clustered.slug}/documents/").content.decode()
    assert "Industrial designs panel (Tue 4 Mar, 14:30 NZDT, UTC+13:00)" in page
    assert "Whole meeting" in page  # the report belongs to no session
    text = pdf_text(b"".join(desk.get(f"/events/{clustered.slug}/documents.pdf").streaming_content), tmp_path)
    assert "Industrial designs panel" in text and "Panel slides" in text
    item_draft = clustered.draft_items.get()
    item_draft.delete()
    add_item(clustered, "Closing", datetime(2031, 3, 4, 16, 0))
    event_services.publish_agenda(clustered, actor=organiser)
    page = desk.get(f"/events/{clustered.slug}/documents/").content.decode()
    assert "A session no longer on the agenda" in page and "Industrial designs panel" not in page


@pytest.mark.parametrize(
    ("status", "sees_it"),
    [("pending", False), ("waitlisted", False), ("confirmed", True), ("attended", True)],
)
def test_registered_documents_are_for_confirmed_and_attended_participants(
    desk, clustered, client, tmp_path, status, sees_it
):
    from registrations.models import Registration

    upload(desk, clustered, "a.pdf", PDF, access="public", title="Public paper")
    upload(desk, clustered, "b.pdf", PDF + b"%delegates", access="registered", title="Delegates paper")
    delegates = MeetingDocument.objects.get(title="Delegates paper")
    participant = make_user("participant@example.org")
    registrations.register(clustered, participant)
    Registration.objects.filter(event=clustered, user=participant).update(status=status)

    client.logout()
    client.force_login(participant)
    page = client.get(f"/events/{clustered.slug}/documents/").content.decode()
    assert "Public paper" in page
    assert ("Delegates paper" in page) is sees_it
    listing = client.get(f"/events/{clustered.slug}/documents.pdf")
    text = pdf_text(b"".join(listing.streaming_content), tmp_path)
    assert "Public paper" in text
    assert ("Delegates paper" in text) is sees_it
    download = client.get(f"/events/{clustered.slug}/documents/{delegates.pk}/download/")
    if sees_it:
        assert download.status_code == 200
        assert b"".join(download.streaming_content).endswith(b"%delegates")
    else:
        assert download.status_code == 404
