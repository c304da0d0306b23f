"""The official List of Participants (issue 15, item 8): APEC's order (member
economies in APEC's order, Head of Delegation first; speakers and experts;
guests and observers; the APEC Secretariat), e-mail addresses only where the
person agreed, provisional and final versions (the final frozen and numbered
as a meeting document), PDF and Word."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase
from django.urls import reverse
from docx import Document

from audit.models import LogEntry
from delegations import participant_list, services
from delegations.models import FinalParticipantList
from events.models import MeetingDocument
from registrations import services as registration_services
from registrations.models import Registration

from ..documents.test_programme import pdf_text
from ..factories import make_event, make_user, make_venue

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Kuala_Lumpur")


@pytest.fixture
def organiser():
    return make_user("secretariat@myipo.example", full_name="Nurul Aziz")


@pytest.fixture
def plenary(organiser):
    return make_event(
        "ipeg-50",
        title="50th IPEG Meeting",
        venue=make_venue("Asia/Kuala_Lumpur", "Putrajaya"),
        starts_at=datetime(2031, 2, 17, 9, 0, tzinfo=ZONE),
        ends_at=datetime(2031, 2, 18, 17, 0, tzinfo=ZONE),
        organisers=[organiser],
    )


def person(event, email, name, *, economy="XX", kind="delegate", organisation="", agreed=False, title=""):
    user = make_user(email, full_name=name, economy=economy)
    if title:
        user.profile.title = title
        user.profile.save()
    registration = registration_services.register(
        event,
        user,
        participation_type=kind,
        economy=economy,
        organisation=organisation,
        email_in_participant_list=agreed,
    )
    if registration.status != Registration.Status.CONFIRMED:
        registration_services.approve(registration, actor=None)
    return registration


@pytest.fixture
def delegations(plenary):
    # Registered in an order unlike the list's, so the order is the list's own.
    person(plenary, "observer@wipo.example", "Wanda Observer", kind="observer", organisation="WIPO")
    person(plenary, "vn@noip.example", "Nguyen Van An", economy="VN", organisation="IP Viet Nam")
    person(plenary, "cl.delegate@inapi.example", "Diego Delegate", economy="CL", organisation="INAPI", agreed=True)
    person(plenary, "au@ipaustralia.example", "Amelia Brown", economy="AU", organisation="IP Australia")
    person(
        plenary, "cl.head@inapi.example", "Carla Head", economy="CL", kind="head_of_delegation",
        organisation="INAPI", agreed=True, title="Ms",
    )  # fmt: skip
    person(plenary, "apec@apec.example", "Sam Secretariat", kind="secretariat", organisation="APEC Secretariat")
    person(plenary, "speaker@jpo.example", "Kenji Speaker", economy="JP", kind="speaker", organisation="JPO")
    person(plenary, "xx.delegate@wto.example", "Tomas Trade", kind="delegate", organisation="WTO")
    waiting = person(plenary, "pending@ipos.example", "Pending Person", economy="SG", organisation="IPOS")
    registration_services.cancel(waiting, actor=None)
    return plenary


def headings_and_names(listed):
    return [(section["heading"], [p["name"] for p in section["people"]]) for section in listed]


def test_the_list_follows_apecs_order_with_the_head_of_delegation_first(delegations):
    assert headings_and_names(participant_list.sections(delegations)) == [
        ("Australia", ["Amelia Brown"]),
        ("Chile", ["Carla Head", "Diego Delegate"]),
        ("Viet Nam", ["Nguyen Van An"]),
        ("Speakers and experts", ["Kenji Speaker"]),
        # Guests by organisation: WIPO before WTO; a delegate of no member economy is a guest.
        ("Guests and observers", ["Wanda Observer", "Tomas Trade"]),
        ("APEC Secretariat", ["Sam Secretariat"]),
    ]


def test_the_desk_page_shows_the_list_in_order_with_emails_only_where_agreed(client, organiser, delegations):
    client.force_login(organiser)
    page = client.get(reverse("desk:participant_list", args=[delegations.slug])).content.decode()
    order = ["<h3>Australia", "<h3>Chile", "Ms Carla Head", "Diego Delegate", "<h3>Viet Nam",
             "<h3>Speakers and experts", "<h3>Guests and observers", "<h3>APEC Secretariat"]  # fmt: skip
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert "cl.head@inapi.example" in page and "cl.delegate@inapi.example" in page
    for withheld in ("au@ipaustralia.example", "vn@noip.example", "observer@wipo.example"):
        assert withheld not in page
    assert "Pending Person" not in page  # cancelled: holds no seat
    assert "Provisional list (8 participants)" in page


def test_the_provisional_pdf_prints_the_list_and_withholds_emails(client, organiser, delegations, tmp_path):
    client.force_login(organiser)
    response = client.get(reverse("desk:participant_list_pdf", args=[delegations.slug]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content), tmp_path, layout=False)
    assert "List of Participants (provisional" in text
    assert text.index("Australia") < text.index("Chile") < text.index("Viet Nam") < text.index("APEC Secretariat")
    assert text.index("Carla Head") < text.index("Diego Delegate")
    assert "Head of Delegation" in text
    assert "cl.head@inapi.example" in text
    assert "au@ipaustralia.example" not in text


def test_the_provisional_word_file_has_the_same_sections_and_columns(client, organiser, delegations):
    client.force_login(organiser)
    response = client.get(reverse("desk:participant_list_docx", args=[delegations.slug]))
    assert response["Content-Type"] == participant_list.DOCX
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Australia", "Chile", "Viet Nam", "Speakers and experts", "Guests and observers",
                        "APEC Secretariat"]  # fmt: skip
    chile = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in chile.rows]
    assert rows == [
        ["Name", "Position and organisation", "E-mail"],
        ["Ms Carla Head (Head of Delegation)", "INAPI", "cl.head@inapi.example"],
        ["Diego Delegate", "INAPI", "cl.delegate@inapi.example"],
    ]
    australia = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert australia[1][2] == ""  # did not agree


def test_making_the_list_final_freezes_numbers_and_logs_it(client, organiser, delegations, tmp_path):
    client.force_login(organiser)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("desk:participant_list_finalise", args=[delegations.slug]))
    assert response.status_code == 302
    final = FinalParticipantList.objects.select_related("document").get(event=delegations)
    assert final.printed
    document = final.document
    assert document.number == "2031/IPEG-50/IPEG/001"
    assert document.title == "List of Participants"
    assert document.access == MeetingDocument.Access.REGISTERED
    entry = LogEntry.objects.get(action="participant_list.finalised")
    assert entry.actor_label.startswith("Nurul Aziz") and entry.after == {"participants": 8}

    # A later change shows on the provisional list only.
    person(delegations, "late@ipos.example", "Late Singapore", economy="SG", organisation="IPOS")
    final.refresh_from_db()
    assert "Late Singapore" not in str(final.content)
    assert "Singapore" in [s["heading"] for s in participant_list.sections(delegations)]

    download = client.get(reverse("events:document_download", args=[delegations.slug, document.pk]))
    text = pdf_text(b"".join(download.streaming_content), tmp_path, layout=False)
    assert "2031/IPEG-50/IPEG/001" in text and "List of Participants (final" in text
    assert "Late Singapore" not in text
    word = client.get(reverse("desk:participant_list_final_docx", args=[delegations.slug]))
    assert "2031-IPEG-50-IPEG-001" in word["Content-Disposition"]
    paragraphs = [p.text for p in Document(io.BytesIO(b"".join(word.streaming_content))).paragraphs]
    assert paragraphs[0] == "2031/IPEG-50/IPEG/001"

    page = client.get(reverse("desk:participant_list", args=[delegations.slug])).content.decode()
    assert "meeting document <strong>2031/IPEG-50/IPEG/001</strong>" in page
    assert "Late Singapore" in page  # the provisional list goes on


def test_a_second_finalisation_is_refused_with_a_message_and_numbers_nothing(client, organiser, delegations):
    client.force_login(organiser)
    url = reverse("desk:participant_list_finalise", args=[delegations.slug])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url)
    response = client.post(url, follow=True)
    assert "already final (2031/IPEG-50/IPEG/001)" in response.content.decode()
    assert MeetingDocument.objects.filter(event=delegations).count() == 1
    assert FinalParticipantList.objects.count() == 1


def test_printing_twice_numbers_the_list_once(delegations, organiser):
    final = services.finalise(delegations, actor=organiser)
    services.print_final(final.pk)
    services.print_final(final.pk)  # a redelivered task
    assert MeetingDocument.objects.filter(event=delegations).count() == 1


def test_a_lost_hand_off_is_made_again_after_five_minutes(delegations, organiser):
    final = services.finalise(delegations, actor=organiser)  # its hand-off never ran (no commit here)
    soon = final.handed_off_at + services.HAND_OFF_AGAIN_AFTER / 2
    assert services.hand_off_again_if_stalled(final, now=soon) is False
    later = final.handed_off_at + services.HAND_OFF_AGAIN_AFTER * 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.hand_off_again_if_stalled(final, now=later) is True
    final.refresh_from_db()
    assert final.printed and final.document.number.endswith("/001")


def test_a_viewer_reads_the_list_but_cannot_make_it_final(client, delegations):
    from events.models import EventRole

    viewer = make_user("viewer@myipo.example", full_name="Vic Viewer")
    EventRole.objects.create(event=delegations, user=viewer, role=EventRole.Role.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("desk:participant_list", args=[delegations.slug])).content.decode()
    assert "Carla Head" in page and "Make the list final" not in page
    response = client.post(reverse("desk:participant_list_finalise", args=[delegations.slug]))
    assert response.status_code == 403
    assert not FinalParticipantList.objects.exists()


@pytest.mark.parametrize("people", [4, 40])
def test_the_desk_page_reads_the_list_in_a_fixed_number_of_queries(
    client, organiser, plenary, people, django_assert_num_queries
):
    for n in range(people):
        economy = ["AU", "CL", "PE", "NZ"][n % 4]
        person(plenary, f"d{n}@example.org", f"Delegate {n:02d}", economy=economy, organisation="Office")
    client.force_login(organiser)
    with django_assert_num_queries(6):
        page = client.get(reverse("desk:participant_list", args=[plenary.slug])).content.decode()
    assert f"Provisional list ({people} participants)" in page


@pytest.mark.parametrize("ticked", [True, False])
def test_the_register_form_asks_for_the_email_in_the_list_and_the_list_follows_the_answer(
    client, organiser, plenary, ticked
):
    delegate = make_user("delegate@indecopi.example", full_name="Rosa Quispe", economy="PE")
    client.force_login(delegate)
    form = client.get(reverse("registrations:register", args=[plenary.slug])).content.decode()
    assert "Show my e-mail address in the official List of Participants" in form
    data = {"participation_type": "delegate", "economy": "PE", "organisation": "INDECOPI", "privacy_consent": "on"}
    if ticked:
        data["email_in_participant_list"] = "on"
    response = client.post(reverse("registrations:register", args=[plenary.slug]), data)
    assert response.status_code == 302
    (peru,) = participant_list.sections(plenary)
    assert peru["heading"] == "Peru"
    assert peru["people"][0]["email"] == ("delegate@indecopi.example" if ticked else "")


def test_the_privacy_notice_says_who_receives_the_list_of_participants(client):
    notice = client.get(reverse("privacy")).content.decode()
    assert "official List of Participants" in notice
    assert "e-mail address only if you ticked" in notice
