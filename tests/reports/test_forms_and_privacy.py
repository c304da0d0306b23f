"""Sex and participation mode on the register and profile forms, funding on
the desk; sex asked with its reason and never shown anywhere but in counts."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import LogEntry
from registrations import services
from registrations.models import SEX_REASON, ParticipantProfile, Registration

from ..documents.test_programme import pdf_text
from ..factories import make_user

pytestmark = pytest.mark.django_db


def register_data(**changes):
    return {
        "participation_type": "delegate",
        "economy": "NZ",
        "organisation": "IPONZ",
        "privacy_consent": "on",
        **changes,
    }


@pytest.fixture
def open_event(organiser):
    from datetime import timedelta

    from django.utils import timezone

    from ..factories import make_event

    start = timezone.now() + timedelta(days=30)
    return make_event("open-workshop", starts_at=start, ends_at=start + timedelta(hours=8), organisers=[organiser])


@pytest.fixture
def participant(client):
    user = make_user("delegate@example.org", full_name="Mere Delegate")
    client.force_login(user)
    return user


def test_the_register_form_asks_sex_with_its_reason_and_the_way_of_taking_part(client, open_event, participant):
    page = client.get(reverse("registrations:register", args=[open_event.slug])).content.decode()
    assert SEX_REASON.split(";")[0] in page
    for label in ("Prefer not to say", "In person", "Remote (speaking)", "Remote (listening)"):
        assert label in page
    client.post(
        reverse("registrations:register", args=[open_event.slug]),
        register_data(sex="female", participation_mode="remote_listening"),
    )
    registration = Registration.objects.get(user=participant)
    assert (registration.sex, registration.participation_mode) == ("female", "remote_listening")


def test_sex_left_unanswered_on_the_register_form_keeps_the_profiles_answer(client, open_event, participant):
    ParticipantProfile.objects.filter(user=participant).update(sex="another")
    client.post(reverse("registrations:register", args=[open_event.slug]), register_data())
    registration = Registration.objects.get(user=participant)
    assert (registration.sex, registration.participation_mode) == ("another", "in_person")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sex": "robot"}, "Choose one of the options, or leave the question unanswered."),
        ({"participation_mode": "hologram"}, "Choose in person, remote (speaking) or remote (listening)."),
    ],
)
def test_bad_sex_or_mode_on_the_register_form_is_explained(client, open_event, participant, changes, message):
    response = client.post(reverse("registrations:register", args=[open_event.slug]), register_data(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_the_profile_form_sets_sex_and_explains_a_bad_value(client, participant):
    data = {"full_name": "Mere Delegate", "economy": "NZ", "sex": "prefer_not"}
    page = client.get("/accounts/profile/").content.decode()
    assert SEX_REASON.split(";")[0] in page and "Prefer not to say" in page
    assert client.post("/accounts/profile/", data).status_code == 302
    assert ParticipantProfile.objects.get(user=participant).sex == "prefer_not"
    response = client.post("/accounts/profile/", {**data, "sex": "robot"})
    assert "Choose one of the options, or leave the question unanswered." in response.content.decode()
    assert ParticipantProfile.objects.get(user=participant).sex == "prefer_not"


@pytest.fixture
def seated(open_event):
    user = make_user("seated@example.org", full_name="Sione Seated")
    return services.register(open_event, user, sex="female", economy="NZ")


def test_an_organiser_sets_funding_and_the_change_is_logged(desk, organiser, open_event, seated):
    url = reverse("desk:registration_funding", args=[open_event.slug, seated.uid])
    response = desk.post(url, {"funding-funding": "apec_speaker", "funding-reason": "Travel grant"}, follow=True)
    assert "Funding is now: APEC-funded speaker." in response.content.decode()
    seated.refresh_from_db()
    assert seated.funding == "apec_speaker"
    entry = LogEntry.objects.get(action="registration.funding_set")
    assert entry.actor == organiser and entry.reason == "Travel grant"
    assert (entry.before, entry.after) == ({"funding": "self"}, {"funding": "apec_speaker"})
    page = desk.get(reverse("desk:registration", args=[open_event.slug, seated.uid])).content.decode()
    assert "APEC-funded speaker" in page


def test_bad_funding_is_explained_and_changes_nothing(desk, open_event, seated):
    url = reverse("desk:registration_funding", args=[open_event.slug, seated.uid])
    response = desk.post(url, {"funding-funding": "lottery"})
    assert response.status_code == 400
    assert "Choose self-funded or one of the APEC-funded kinds." in response.content.decode()
    seated.refresh_from_db()
    assert seated.funding == "self" and not LogEntry.objects.filter(action="registration.funding_set").exists()


def test_a_viewer_cannot_set_funding(client, open_event, seated):
    from events.models import EventRole

    viewer = make_user("viewer@example.org")
    EventRole.objects.create(event=open_event, user=viewer, role=EventRole.Role.VIEWER)
    client.force_login(viewer)
    url = reverse("desk:registration_funding", args=[open_event.slug, seated.uid])
    assert client.post(url, {"funding-funding": "apec_expert"}).status_code == 403
    seated.refresh_from_db()
    assert seated.funding == "self"


def test_sex_is_never_shown_on_desk_pages_lists_badges_or_exports(desk, open_event, seated, tmp_path):
    Registration.objects.filter(pk=seated.pk).update(share_in_public_list=True, status="confirmed")
    words = ("Female", "female")
    pages = [
        desk.get(reverse("desk:registrations", args=[open_event.slug])).content.decode(),
        desk.get(reverse("desk:registration", args=[open_event.slug, seated.uid])).content.decode(),
    ]
    assert "Sione Seated" in pages[0] and "Sione Seated" in pages[1]
    exported = desk.get(reverse("desk:registrations_export", args=[open_event.slug, "csv"])).content.decode()
    header = next(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert "Taking part" in header and "Funding" in header and "Sex" not in header
    workbook = load_workbook(
        io.BytesIO(desk.get(reverse("desk:registrations_export", args=[open_event.slug, "xlsx"])).content)
    )
    cells = [str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row]
    documents = [
        pdf_text(desk.get(reverse("desk:participants_pdf", args=[open_event.slug])).content, tmp_path),
        pdf_text(desk.get(reverse("desk:badges_pdf", args=[open_event.slug])).content, tmp_path),
    ]
    assert "Sione Seated" in documents[0]
    for text in [*pages, exported, " ".join(cells), *documents]:
        assert not any(word in text for word in words)
    # The report counts it, and only as a number.
    report = desk.get(reverse("desk:report", args=[open_event.slug])).context["report"]
    by_economy = report.participants[0]
    assert by_economy.rows[by_economy.row_labels.index("New Zealand")]["cells"][0] == 1
