import pytest

from registrations import documents, services
from registrations.checkin import checkin_url, qr_data_uri

from .test_programme import page_count, pdf_text

pytestmark = pytest.mark.django_db


def test_organiser_list_groups_seated_people_by_economy(client, organiser, workshop, filled, tmp_path):
    client.force_login(organiser)
    response = client.get(f"/desk/events/{workshop.slug}/participants.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "List of participants — for organisers only · 2 participants" in text
    assert text.index("Malaysia") < text.index("New Zealand")
    assert "Ms Aisyah <b>Ismail</b>" in text  # escaped: printed as typed
    assert "delegate1@example.org" in text and "IPONZ" in text
    assert "MBIE" not in text  # waitlisted people hold no seat
    assert page_count(response.content, tmp_path) == 1


def test_public_list_shows_only_those_who_agreed_and_no_contact_details(client, workshop, filled, tmp_path):
    response = client.get(f"/events/{workshop.slug}/participants.pdf")
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "Aisyah" in text and "MyIPO" in text
    assert "IPONZ" not in text and "Delegate 1" not in text
    assert "@example.org" not in text and "for organisers only" not in text


def test_public_list_never_falls_back_to_the_e_mail_of_someone_without_a_name(
    client, organiser, workshop, people, tmp_path
):
    (nameless,) = people(1)
    nameless.profile.full_name = ""
    nameless.profile.save()
    services.register(workshop, nameless, economy="CL", organisation="INAPI", share_in_public_list=True)
    public = pdf_text(b"".join(client.get(f"/events/{workshop.slug}/participants.pdf").streaming_content), tmp_path)
    assert "INAPI" in public and "Name not given" in public
    assert nameless.email not in public
    client.force_login(organiser)
    full = pdf_text(client.get(f"/desk/events/{workshop.slug}/participants.pdf").content, tmp_path)
    assert nameless.email in full  # organisers still see who it is


def test_only_organisers_of_the_event_get_the_full_list(client, other_organiser, workshop, filled):
    client.force_login(other_organiser)
    assert client.get(f"/desk/events/{workshop.slug}/participants.pdf").status_code == 404
    client.force_login(filled[0])
    assert client.get(f"/desk/events/{workshop.slug}/participants.pdf").status_code == 404


def test_no_public_list_for_a_draft_event(client, other_event):
    assert client.get(f"/events/{other_event.slug}/participants.pdf").status_code == 404


def test_badges_carry_name_affiliation_type_and_a_working_check_in_code(client, organiser, workshop, filled, tmp_path):
    client.force_login(organiser)
    response = client.get(f"/desk/events/{workshop.slug}/badges.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path, layout=False)
    assert "Ms Aisyah\n<b>Ismail</b>" in text  # escaped: printed as typed
    for line in ("MyIPO", "Malaysia", "Delegate 1", "IPONZ", "New Zealand"):
        assert f"\n{line}\n" in text
    assert text.count("MEMBER-ECONOMY DELEGATE") == 2  # two seated people, one badge each
    assert "MBIE" not in text
    assert page_count(response.content, tmp_path) == 1
    # Each badge's QR code is that registration's own check-in address.
    badges = documents.badge_context(workshop)["badges"]
    assert [qr for _, qr in badges] == [qr_data_uri(checkin_url(registration)) for registration, _ in badges]
    assert all(registration.checkin_qr == qr for registration, qr in badges)  # made once, at registration
    assert len({qr for _, qr in badges}) == 2


def test_badges_are_for_organisers_of_the_event_only(client, other_organiser, workshop, filled):
    client.force_login(other_organiser)
    assert client.get(f"/desk/events/{workshop.slug}/badges.pdf").status_code == 404


def test_certificate_of_attendance_for_checked_in_participants_only(client, workshop, filled, people, tmp_path):
    registration = workshop.registrations.get(user=filled[0])
    client.force_login(filled[0])
    assert client.get(f"/registrations/{registration.uid}/certificate.pdf").status_code == 404  # not yet attended
    services.check_in(registration, actor=None)
    assert "Certificate of attendance" in client.get("/registrations/").content.decode()
    response = client.get(f"/registrations/{registration.uid}/certificate.pdf")
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "This is to certify that Ms Aisyah <b>Ismail</b> MyIPO, Malaysia attended" in text
    assert workshop.title in text
    client.force_login(filled[1])  # someone else
    assert client.get(f"/registrations/{registration.uid}/certificate.pdf").status_code == 404


@pytest.fixture
def letter_registration(workshop, people):
    from datetime import date

    workshop.project_code = "IPEG 02 2020S"
    workshop.letterhead = "Intellectual Property Office of New Zealand\n205 Victoria Street, Wellington"
    workshop.letter_signatory = "Ms Hana Walker, Principal Policy Adviser"
    workshop.save()
    user = people(1)[0]
    return services.register(
        workshop, user, invitation_letter=True, passport_name="TAMA NGATA", nationality="New Zealand",
        passport_number="LA123456", date_of_birth=date(1980, 5, 17), economy="NZ", organisation="MBIE",
    )  # fmt: skip


def test_invitation_letter_is_numbered_logged_and_reissued_with_the_same_number(
    client, letter_registration, people, tmp_path
):
    from registrations.models import InvitationLetter

    client.force_login(letter_registration.user)
    first = client.get(f"/registrations/{letter_registration.uid}/letter.pdf")
    text = " ".join(pdf_text(first.content, tmp_path).split())
    assert "Intellectual Property Office of New Zealand" in text
    assert "Our reference: IPEG-02-2020S/LOI/001" in text
    assert "TAMA NGATA" in text and "LA123456" in text and "17 May 1980" in text
    assert "Ms Hana Walker, Principal Policy Adviser" in text
    client.get(f"/registrations/{letter_registration.uid}/letter.pdf")
    assert InvitationLetter.objects.count() == 1  # the same letter, not a new number
    other = services.register(
        letter_registration.event, people(1)[0], invitation_letter=True, passport_name="X", nationality="Peru",
        passport_number="P1", date_of_birth=letter_registration.date_of_birth,
    )  # fmt: skip
    assert services.issue_letter(other, actor=None).number == 2


def test_letters_only_for_confirmed_requests_and_only_to_owner_and_organisers(
    client, organiser, other_organiser, letter_registration, workshop, people
):
    client.force_login(organiser)
    response = client.get(f"/desk/events/{workshop.slug}/registrations/{letter_registration.uid}/letter.pdf")
    assert response["Content-Type"] == "application/pdf"
    client.force_login(other_organiser)
    assert (
        client.get(f"/desk/events/{workshop.slug}/registrations/{letter_registration.uid}/letter.pdf").status_code
        == 404
    )
    client.force_login(people(1)[0])
    assert client.get(f"/registrations/{letter_registration.uid}/letter.pdf").status_code == 404
    no_letter = services.register(workshop, people(1)[0])  # waitlisted, no letter asked
    client.force_login(no_letter.user)
    assert client.get(f"/registrations/{no_letter.uid}/letter.pdf").status_code == 404


def test_badges_for_many_are_prepared_in_the_background_with_progress(
    client, organiser, workshop, filled, django_capture_on_commit_callbacks
):
    from registrations.models import GeneratedDocument

    client.force_login(organiser)
    response = client.post(f"/desk/events/{workshop.slug}/files/new/badges/")
    job = GeneratedDocument.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the worker (2 participants)" in page and "http-equiv" not in page
    status_url = f"/desk/events/{workshop.slug}/files/{job.pk}/status/"
    assert f'data-progress-status="{status_url}"' in page and ">Check again</a>" in page
    assert client.get(status_url).json() == {
        "state": "pending",
        "text": "Waiting for the worker (2 participants). Large documents take a minute or two.",
        "done": None,
        "total": None,
        "finished": False,
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/desk/events/{workshop.slug}/files/new/participants/")
    done = GeneratedDocument.objects.get(kind="participants")
    assert done.status == "done"
    page = client.get(f"/desk/events/{workshop.slug}/files/{done.pk}/").content.decode()
    assert "Ready: 2 participants." in page and "data-progress-status" not in page
    status = client.get(f"/desk/events/{workshop.slug}/files/{done.pk}/status/").json()
    assert (status["state"], status["url"]) == ("ready", f"/desk/events/{workshop.slug}/files/{done.pk}/download/")
    download = client.get(f"/desk/events/{workshop.slug}/files/{done.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.get(f"/desk/events/{workshop.slug}/files/{job.pk}/download/").status_code == 404  # not ready yet
    assert client.post(f"/desk/events/{workshop.slug}/files/new/passports/").status_code == 404


def test_prepared_files_belong_to_the_events_organisers(
    client, organiser, other_organiser, workshop, filled, django_capture_on_commit_callbacks
):
    from registrations.models import GeneratedDocument

    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/desk/events/{workshop.slug}/files/new/badges/")
    job = GeneratedDocument.objects.get()
    client.force_login(other_organiser)
    assert client.get(f"/desk/events/{workshop.slug}/files/{job.pk}/").status_code == 404
    assert client.get(f"/desk/events/{workshop.slug}/files/{job.pk}/download/").status_code == 404
    assert client.post(f"/desk/events/{workshop.slug}/files/new/badges/").status_code == 404
