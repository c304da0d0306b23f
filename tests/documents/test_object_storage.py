"""Every stored file on a real S3-compatible server (moto's, on loopback):
meeting documents, programmes and prepared badge sheets are written there,
private, and downloaded through the permission-checking views."""

import pytest
from django.core.files.storage import default_storage

from events.models import DocumentRevision
from registrations.models import GeneratedDocument

from .test_meeting_documents import PDF, upload

pytestmark = pytest.mark.django_db

FIVE_PAGES_OF_BYTES = PDF + bytes(range(256)) * 400


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def test_an_uploaded_document_lands_in_the_bucket_and_not_on_local_disk(desk, event, s3_storage, s3_server, settings):
    upload(desk, event, "agenda.pdf", FIVE_PAGES_OF_BYTES, access="registered")
    revision = DocumentRevision.objects.get()
    assert s3_server.keys(s3_storage) == [revision.file.name]
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.pdf"))
    stored = s3_server.client().get_object(Bucket=s3_storage, Key=revision.file.name)["Body"].read()
    assert stored == FIVE_PAGES_OF_BYTES


def test_objects_are_private_on_the_store(desk, event, s3_storage, s3_server):
    upload(desk, event, "agenda.pdf", PDF)
    key = DocumentRevision.objects.get().file.name
    acl = s3_server.client().get_object_acl(Bucket=s3_storage, Key=key)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    assert acl["Grants"][0]["Grantee"]["Type"] == "CanonicalUser"
    assert not any("AllUsers" in str(grant["Grantee"]) for grant in acl["Grants"])


def test_downloads_stream_the_same_bytes_through_the_access_check(client, desk, event, s3_storage):
    upload(desk, event, "agenda.pdf", FIVE_PAGES_OF_BYTES, access="organisers")
    document = event.documents.get()
    url = f"/events/{event.slug}/documents/{document.pk}/download/"
    response = desk.get(url)
    assert response["Content-Length"] == str(len(FIVE_PAGES_OF_BYTES))
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == FIVE_PAGES_OF_BYTES
    client.logout()
    assert client.get(url).status_code == 404  # organisers only: the store's copy is not reachable around the view


def test_a_missing_object_is_a_404_not_a_500(desk, event, s3_storage, s3_server):
    upload(desk, event, "agenda.pdf", PDF)
    document = event.documents.get()
    s3_server.client().delete_object(Bucket=s3_storage, Key=document.revisions.get().file.name)
    assert desk.get(f"/events/{event.slug}/documents/{document.pk}/download/").status_code == 404


def test_programme_rendered_into_the_bucket_is_served_to_anonymous_readers(
    client, programme_event, s3_storage, s3_server
):
    response = client.get(f"/events/{programme_event.slug}/agenda.pdf")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    programme_event.current_version.refresh_from_db()
    key = programme_event.current_version.programme.name
    assert key in s3_server.keys(s3_storage)
    again = client.get(f"/events/{programme_event.slug}/agenda.pdf")
    assert b"".join(again.streaming_content) == body


def test_badge_sheet_prepared_into_the_bucket_downloads_for_organisers(
    client, organiser, workshop, filled, s3_storage, s3_server, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/desk/events/{workshop.slug}/files/new/badges/")
    job = GeneratedDocument.objects.get()
    assert job.status == "done" and job.file.name in s3_server.keys(s3_storage)
    download = client.get(f"/desk/events/{workshop.slug}/files/{job.pk}/download/")
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == default_storage.size(job.file.name)
