"""The traveller's claim: documents checked from their bytes, kept private
to the traveller and the event's organisers; submitted by the traveller,
accepted or returned by an organiser, each step logged and mailed."""

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import LogEntry
from events.models import EventRole
from travel import services
from travel.models import ClaimDocument, FundedTraveller

from ..factories import make_event, make_user
from .conftest import JPEG, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def claim_url(traveller):
    return reverse("travel:claim", args=[traveller.registration.uid])


def add(traveller, kind="e_ticket", name="e-ticket.pdf"):
    return services.add_document(
        traveller, kind, upload(name), "application/pdf", name, actor=traveller.registration.user
    )


@pytest.fixture
def own(client, traveller):
    client.force_login(traveller.registration.user)
    return client


def test_the_registration_page_shows_the_entitlements_and_links_to_the_claim(own, traveller):
    page = own.get(reverse("registrations:detail", args=[traveller.registration.uid])).content.decode()
    assert "APEC funds your travel as an APEC-funded participant: economy class airfare and 3 per-diem days." in page
    assert "awaiting documents</strong>, 0 documents so far" in page
    assert claim_url(traveller) in page


def test_the_traveller_uploads_a_boarding_pass_and_sees_it_listed(own, traveller):
    response = own.post(
        claim_url(traveller), {"kind": "boarding_pass", "file": upload("AKL-SCL leg 1.png", PNG)}, follow=True
    )
    page = response.content.decode()
    assert "“AKL-SCL_leg_1.png” is added to your claim." in page
    document = ClaimDocument.objects.get()
    assert (document.kind, document.content_type, document.size) == ("boarding_pass", "image/png", len(PNG))
    assert document.file.name.startswith("travel-claims/") and "AKL" not in document.file.name
    entry = LogEntry.objects.get(action="travel.document_added")
    assert entry.actor == traveller.registration.user and entry.after["file"] == "AKL-SCL_leg_1.png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ticket.docx", b"PK\x03\x04 not a scan", "This file is not a PDF, JPEG or PNG file"),
        ("ticket.pdf", b"<html>phish</html>", "This file is not a PDF, JPEG or PNG file"),
        ("ticket.pdf", PNG, "This file is named .pdf but is not one."),
        ("ticket.pdf", b"", "The file is empty: choose the scan or photo again."),
    ],
)
def test_a_file_that_is_not_a_scan_is_refused_with_a_clear_message(own, traveller, name, content, message):
    response = own.post(claim_url(traveller), {"kind": "e_ticket", "file": upload(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ClaimDocument.objects.exists()


def test_a_file_over_the_size_limit_is_refused(own, traveller, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    response = own.post(
        claim_url(traveller), {"kind": "receipt", "file": upload("receipt.jpg", JPEG + b"\x00" * 1024 * 1024)}
    )
    assert response.status_code == 400
    assert "The file is larger than 1 MB: scan it at a lower resolution." in response.content.decode()
    assert not ClaimDocument.objects.exists()


def test_a_missing_file_or_kind_gets_a_clear_message(own, traveller):
    response = own.post(claim_url(traveller), {"kind": "visa"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the file to upload." in page
    assert "Choose what the document is: e-ticket, boarding pass, receipt or other." in page


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\carla\\My Scans\\ticket.PDF", "ticket.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("bo\x00ard\u202eing.pdf", "boarding.pdf"),
        ("....pdf", "document.pdf"),
        ("no-extension", "no-extension.pdf"),
        ("x" * 300 + ".pdf", "x" * 95 + ".pdf"),
    ],
)
def test_odd_file_names_are_kept_as_safe_short_names_ending_in_what_the_file_is(own, traveller, name, kept):
    response = own.post(claim_url(traveller), {"kind": "other", "file": upload(name, PDF)})
    assert response.status_code == 302
    document = ClaimDocument.objects.get()
    assert document.original_name == kept
    download = own.get(reverse("travel:document", args=[traveller.registration.uid, document.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{kept}"'


def test_the_traveller_and_the_events_organisers_get_the_bytes_and_nobody_else_does(
    client, traveller, organiser, workshop
):
    document = add(traveller)
    own_url = reverse("travel:document", args=[traveller.registration.uid, document.pk])
    desk_url = reverse("desk:travel_document", args=[workshop.slug, traveller.pk, document.pk])

    client.force_login(traveller.registration.user)
    assert b"".join(client.get(own_url).streaming_content) == PDF
    assert client.get(desk_url).status_code == 404  # a participant has no desk for the event

    client.force_login(organiser)
    assert b"".join(client.get(desk_url).streaming_content) == PDF
    assert client.get(own_url).status_code == 404  # not the organiser's own registration

    other = make_user("someone@example.org")
    client.force_login(other)
    assert client.get(own_url).status_code == 404
    assert client.get(claim_url(traveller)).status_code == 404

    other_event_viewer = make_user("viewer-elsewhere@example.org")
    EventRole.objects.create(event=make_event("elsewhere"), user=other_event_viewer, role=EventRole.Role.VIEWER)
    client.force_login(other_event_viewer)
    assert client.get(desk_url).status_code == 404

    viewer = make_user("viewer@example.org")
    EventRole.objects.create(event=workshop, user=viewer, role=EventRole.Role.VIEWER)
    client.force_login(viewer)
    assert client.get(desk_url).status_code == 403  # boarding passes are for organisers, not viewers
    assert (
        "e-ticket.pdf" in client.get(reverse("desk:travel_claim", args=[workshop.slug, traveller.pk])).content.decode()
    )


def test_submitting_needs_an_e_ticket_and_a_boarding_pass(own, traveller):
    response = own.post(reverse("travel:submit", args=[traveller.registration.uid]), follow=True)
    assert "Add your e-ticket and at least one boarding pass before you submit the claim." in response.content.decode()
    add(traveller)
    response = own.post(reverse("travel:submit", args=[traveller.registration.uid]), follow=True)
    assert "Add your boarding pass before you submit the claim." in response.content.decode()
    traveller.refresh_from_db()
    assert traveller.claim_state == "awaiting"


def test_submit_accept_and_return_are_logged_with_their_actor_and_mailed(
    own, traveller, organiser, workshop, django_capture_on_commit_callbacks
):
    add(traveller)
    add(traveller, "boarding_pass", "pass.pdf")
    user = traveller.registration.user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = own.post(reverse("travel:submit", args=[traveller.registration.uid]), follow=True)
    assert "Your claim is submitted." in response.content.decode()
    assert "Upload" not in response.content.decode()  # a submitted claim takes no more documents
    refused = own.post(claim_url(traveller), {"kind": "receipt", "file": upload("late.pdf")}, follow=True)
    assert "Your claim is submitted: documents can no longer be added." in refused.content.decode()

    own.force_login(organiser)
    decide = reverse("desk:travel_decide", args=[workshop.slug, traveller.pk])
    response = own.post(decide, {"decision-decision": "return"})
    assert response.status_code == 400
    assert "Say what the traveller must change: the reason is sent to them." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        own.post(
            decide,
            {"decision-decision": "return", "decision-reason": "The boarding pass of the return leg is missing."},
        )
    traveller.refresh_from_db()
    assert traveller.claim_state == "returned" and traveller.decided_by == organiser

    own.force_login(user)
    page = own.get(claim_url(traveller)).content.decode()
    assert "The organisers returned your claim: The boarding pass of the return leg is missing." in page
    add(traveller, "boarding_pass", "return.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        own.post(reverse("travel:submit", args=[traveller.registration.uid]))
    own.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        own.post(decide, {"decision-decision": "accept"})
    traveller.refresh_from_db()
    assert traveller.claim_state == "accepted"

    steps = [
        (entry.action, entry.actor, entry.reason)
        for entry in LogEntry.objects.filter(action__startswith="travel.claim_").order_by("at", "pk")
    ]
    assert steps == [
        ("travel.claim_submitted", user, ""),
        ("travel.claim_returned", organiser, "The boarding pass of the return leg is missing."),
        ("travel.claim_submitted", user, ""),
        ("travel.claim_accepted", organiser, ""),
    ]
    assert [message.subject.split(":")[0] for message in mail.outbox] == [
        "Travel claim received",
        "Travel claim returned for changes",
        "Travel claim received",
        "Travel claim accepted",
    ]
    assert "What to change: The boarding pass of the return leg is missing." in mail.outbox[1].body
    assert {tuple(message.to) for message in mail.outbox} == {("carla@example.org",)}


def test_only_a_submitted_claim_can_be_decided(traveller, organiser):
    with pytest.raises(
        services.TravelRefused, match=r"Only a submitted claim can be accepted; this one is awaiting documents\."
    ):
        services.accept_claim(traveller, actor=organiser)


def test_a_decision_without_a_choice_gets_a_clear_message(client, traveller, organiser, workshop):
    client.force_login(organiser)
    response = client.post(
        reverse("desk:travel_decide", args=[workshop.slug, traveller.pk]), {"decision-decision": "maybe"}
    )
    assert response.status_code == 400
    assert "Choose to accept or return the claim." in response.content.decode()


def test_withdrawing_funding_from_the_desk_needs_a_reason_and_deletes_the_claims_files(
    client, traveller, organiser, workshop, media, django_capture_on_commit_callbacks
):
    document = add(traveller)
    path = media / document.file.name
    assert path.exists()
    client.force_login(organiser)
    url = reverse("desk:travel_unfund", args=[workshop.slug, traveller.pk])
    response = client.post(url, {"unfund-reason": ""})
    assert response.status_code == 400 and "Give the reason: the traveller is told." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"unfund-reason": "Funded by the host instead."}, follow=True)
    assert "Funding withdrawn from Carla Chile; the place is free." in response.content.decode()
    assert not FundedTraveller.objects.exists() and not path.exists()


def test_the_traveller_removes_a_wrong_upload_before_submitting(own, traveller):
    document = add(traveller, "receipt", "wrong.pdf")
    response = own.post(reverse("travel:document_remove", args=[traveller.registration.uid, document.pk]), follow=True)
    assert "“wrong.pdf” is removed from your claim." in response.content.decode()
    assert not ClaimDocument.objects.exists()
    assert LogEntry.objects.get(action="travel.document_removed").before == {"kind": "receipt", "file": "wrong.pdf"}


def test_acting_on_a_claim_whose_funding_was_just_withdrawn_is_refused_not_an_error(traveller, organiser):
    stale = FundedTraveller.objects.get(pk=traveller.pk)
    services.unfund(traveller, actor=organiser, reason="Withdrawn.")
    with pytest.raises(services.TravelRefused, match="This travel funding has been withdrawn"):
        add(stale)
    with pytest.raises(services.TravelRefused, match="This funding has already been withdrawn"):
        services.unfund(stale, actor=organiser, reason="Twice.")
