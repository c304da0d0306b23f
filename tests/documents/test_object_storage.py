"""Every stored file on a real S3-compatible server (moto's, on loopback):
meeting documents, programmes and prepared badge sheets are written there,
private, and downloaded through the permission-checking views."""

import hashlib

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


def download(client, event, document):
    response = client.get(f"/events/{event.slug}/documents/{document.pk}/download/")
    body = b"".join(response.streaming_content)
    response.close()
    return response, body


def cached_copies(settings):
    return sorted(path.name for path in settings.STORED_FILE_CACHE_DIR.rglob("*") if path.is_file())


def test_a_node_keeps_a_verified_copy_and_serves_it_even_if_the_store_is_gone(
    desk, event, s3_storage, s3_server, settings
):
    upload(desk, event, "agenda.pdf", FIVE_PAGES_OF_BYTES)
    revision = DocumentRevision.objects.get()
    assert revision.sha256 == hashlib.sha256(FIVE_PAGES_OF_BYTES).hexdigest()
    _, first = download(desk, event, revision.document)
    assert first == FIVE_PAGES_OF_BYTES and cached_copies(settings) == [revision.sha256]
    s3_server.client().delete_object(Bucket=s3_storage, Key=revision.file.name)
    response, again = download(desk, event, revision.document)
    assert again == FIVE_PAGES_OF_BYTES  # from this node's copy
    assert response["Content-Length"] == str(len(FIVE_PAGES_OF_BYTES))
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_object_that_does_not_match_its_digest_is_not_kept(desk, event, s3_storage, s3_server, settings):
    upload(desk, event, "agenda.pdf", PDF)
    revision = DocumentRevision.objects.get()
    s3_server.client().put_object(Bucket=s3_storage, Key=revision.file.name, Body=PDF + b"tampered")
    download(desk, event, revision.document)
    assert cached_copies(settings) == []


def test_a_download_abandoned_half_way_leaves_no_copy(desk, event, s3_storage, settings):
    upload(desk, event, "agenda.pdf", FIVE_PAGES_OF_BYTES)
    document = event.documents.get()
    response = desk.get(f"/events/{event.slug}/documents/{document.pk}/download/")
    next(iter(response.streaming_content))
    response.close()  # the client went away
    assert cached_copies(settings) == []


def test_the_copies_stay_within_their_size_limit_dropping_the_least_recently_used(desk, event, s3_storage, settings):
    settings.STORED_FILE_CACHE_MB = 1
    contents = [PDF + bytes([n]) * 400_000 for n in range(3)]
    for n, content in enumerate(contents):
        upload(desk, event, f"part-{n}.pdf", content, title=f"Part {n}")
    documents = list(event.documents.order_by("sequence"))
    for document in documents:
        download(desk, event, document)
    kept = cached_copies(settings)
    assert len(kept) == 2 and hashlib.sha256(contents[0]).hexdigest() not in kept
