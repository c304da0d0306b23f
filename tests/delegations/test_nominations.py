"""Delegations nominated by economies (issue 15, items 3-5): focal points
named by the Secretariat, nominations within a quota, the Head of
Delegation, the nomination letter, the Secretariat's decisions, each told to
the delegate by one mail, and self-registration refused for the types taken
by nomination only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from delegations import nominations, participant_list, queries
from delegations.models import FocalPoint, Nomination
from events.models import Event, EventRole, MeetingCluster
from registrations import services as registration_services
from registrations.models import Delivery, Registration

from ..factories import make_event, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% nomination letter\n%%EOF\n"


def run(service, *args, **kwargs):
    """A service as a request runs it: its mails go after commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return service(*args, **kwargs)


@pytest.fixture
def owner():
    return make_user("owner@apec.example", full_name="Siti Owner")


@pytest.fixture
def organiser():
    return make_user("organiser@apec.example", full_name="Omar Organiser")


@pytest.fixture
def plenary(owner, organiser):
    cluster = MeetingCluster.objects.create(
        meeting="SOM1", year=2031, host_city="Putrajaya", start_date=timezone.localdate() + timedelta(days=40),
        end_date=timezone.localdate() + timedelta(days=47),
    )  # fmt: skip
    starts = timezone.now() + timedelta(days=45)
    event = make_event(
        "ipeg-60", title="60th IPEG Meeting", kind=Event.Kind.IPEG_MEETING, cluster=cluster,
        starts_at=starts, ends_at=starts + timedelta(hours=8), capacity=100, organisers=[organiser],
    )  # fmt: skip
    EventRole.objects.create(event=event, user=owner, role=EventRole.Role.OWNER)
    return event


@pytest.fixture
def chile(plenary, owner):
    user = make_user("focal@inapi.example", full_name="Carla Focal", economy="CL")
    return run(nominations.appoint_focal_point, plenary, user.email, "CL", actor=owner).user


@pytest.fixture
def peru(plenary, owner):
    user = make_user("focal@indecopi.example", full_name="Pedro Focal", economy="PE")
    return run(nominations.appoint_focal_point, plenary, user.email, "PE", actor=owner).user


def nominate(event, focal_point, economy, email, name, kind="delegate"):
    return run(
        nominations.nominate, event, economy, email=email, full_name=name, participation_type=kind,
        actor=focal_point,
    )  # fmt: skip


def test_a_nominated_delegate_gets_an_account_a_pending_registration_and_one_mail_naming_the_focal_point(
    plenary, chile
):
    mail.outbox.clear()
    nomination = nominate(plenary, chile, "CL", "Ana.Rojas@inapi.example", "Ana Rojas")

    registration = nomination.registration
    assert registration.user.email == "ana.rojas@inapi.example"
    assert not registration.user.has_usable_password()
    assert registration.user.profile.full_name == "Ana Rojas"
    assert (registration.status, registration.economy, registration.participation_type) == (
        "pending", "CL", "delegate",
    )  # fmt: skip
    assert nomination.state == "nominated"
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    message = mail.outbox[0]
    assert message.to == ["ana.rojas@inapi.example"]
    assert message.subject == "You are nominated: 60th IPEG Meeting"
    assert "Carla Focal, focal point of Chile, has nominated you as member-economy delegate" in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert reverse("delegations:details", args=[registration.uid]) in message.body
    assert Delivery.objects.filter(registration=registration).count() == 1
    logged = LogEntry.objects.filter(action="delegation.nominated").get()
    assert logged.actor == chile and logged.after["quota"] == "1 of 5"


def test_an_existing_account_is_linked_and_gets_no_password_link(plenary, chile):
    known = make_user("known@inapi.example", full_name="Known Person", economy="CL")
    mail.outbox.clear()
    nomination = nominate(plenary, chile, "CL", "KNOWN@inapi.example", "Ignored Name")
    assert nomination.registration.user == known
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body


def test_the_quota_refuses_one_nomination_too_many_and_a_withdrawal_frees_a_place(plenary, chile, owner):
    nominations.set_quota(plenary, "CL", 2, actor=owner)
    first = nominate(plenary, chile, "CL", "a@inapi.example", "A One")
    nominate(plenary, chile, "CL", "b@inapi.example", "B Two")
    with pytest.raises(nominations.NominationRefused, match="Chile has nominated 2 of its 2 delegates"):
        nominate(plenary, chile, "CL", "c@inapi.example", "C Three")
    assert not Registration.objects.filter(user__email="c@inapi.example").exists()

    mail.outbox.clear()
    run(nominations.withdraw, first, actor=chile)
    first.refresh_from_db()
    assert first.state == "withdrawn" and first.registration.status == "cancelled"
    assert [message.subject for message in mail.outbox] == ["Registration cancelled: 60th IPEG Meeting"]
    assert nominate(plenary, chile, "CL", "c@inapi.example", "C Three").state == "nominated"


def test_a_delegate_who_cancelled_frees_their_place_in_the_quota(plenary, chile, owner):
    nominations.set_quota(plenary, "CL", 1, actor=owner)
    nomination = nominate(plenary, chile, "CL", "a@inapi.example", "A One")
    registration_services.cancel(nomination.registration, actor=nomination.registration.user)
    assert nominate(plenary, chile, "CL", "b@inapi.example", "B Two").state == "nominated"


def test_self_registration_as_a_delegate_of_a_plenary_is_refused_with_the_reason_and_observers_still_register(
    client, plenary
):
    person = make_user("self@example.org", economy="CL")
    client.force_login(person)
    url = reverse("registrations:register", args=[plenary.slug])
    answers = {"economy": "CL", "organisation": "INAPI", "privacy_consent": "on", "participation_mode": "in_person"}

    response = client.post(url, {**answers, "participation_type": "delegate"}, follow=True)
    assert "Delegates to this meeting are nominated by their economy&#x27;s focal point; ask yours" in (
        response.content.decode()
    )
    assert not Registration.objects.filter(user=person).exists()

    client.post(url, {**answers, "participation_type": "observer"})
    assert Registration.objects.get(user=person).participation_type == "observer"


def test_a_workshop_takes_delegates_by_self_registration_until_the_organisers_say_otherwise(organiser):
    workshop = make_event("design-workshop", organisers=[organiser])
    person = make_user("self@example.org", economy="CL")
    assert registration_services.register(workshop, person).participation_type == "delegate"
    nominations.save_settings(workshop, nomination_only=["delegate"], default_quota=3, actor=organiser)
    other = make_user("other@example.org", economy="PE")
    with pytest.raises(registration_services.RegistrationRefused, match="nominated by their economy"):
        registration_services.register(workshop, other)


def test_a_focal_point_may_nominate_themself_as_head_of_delegation(plenary, chile):
    nomination = nominate(plenary, chile, "CL", chile.email, "ignored", kind="head_of_delegation")
    assert nomination.registration.user == chile
    assert nomination.registration.participation_type == "head_of_delegation"


def test_naming_another_head_moves_the_title_and_the_list_shows_the_head_first(plenary, chile, organiser):
    zed = nominate(plenary, chile, "CL", "zed@inapi.example", "Zed Head", kind="head_of_delegation")
    amy = nominate(plenary, chile, "CL", "amy@inapi.example", "Amy Adams")
    with pytest.raises(nominations.NominationRefused, match="already Head of Delegation"):
        nominations.name_head(zed, actor=chile)
    run(nominations.name_head, amy, actor=chile)
    zed.registration.refresh_from_db()
    amy.registration.refresh_from_db()
    assert (zed.registration.participation_type, amy.registration.participation_type) == (
        "delegate", "head_of_delegation",
    )  # fmt: skip
    logged = LogEntry.objects.filter(action="delegation.head_named").last()
    assert logged.before == {"head": ["zed@inapi.example"]}

    for nomination in (zed, amy):
        run(nominations.approve, nomination, actor=organiser)
    chile_section = participant_list.sections(plenary)[0]
    assert chile_section["heading"] == "Chile"
    assert [(person["name"], person["head"]) for person in chile_section["people"]] == [
        ("Amy Adams", True), ("Zed Head", False),
    ]  # fmt: skip


def test_each_step_is_mailed_once_with_its_reason_and_logged(plenary, chile, organiser):
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    mail.outbox.clear()
    run(nominations.pre_approve, nomination, actor=organiser, reason="Letter received")
    run(nominations.approve, nomination, actor=organiser)
    nomination.refresh_from_db()
    assert nomination.state == "approved" and nomination.registration.status == "confirmed"
    assert [message.subject for message in mail.outbox] == [
        "Your nomination is pre-approved: 60th IPEG Meeting",
        "Registration approved: 60th IPEG Meeting",
    ]
    assert "Note: Letter received" in mail.outbox[0].body
    assert list(
        LogEntry.objects.filter(action__startswith="delegation.").order_by("pk").values_list("action", flat=True)
    ) == ["delegation.focal_point_named", "delegation.nominated", "delegation.pre_approved", "delegation.approved"]

    mail.outbox.clear()
    run(nominations.decline, nomination, actor=organiser, reason="Not an IP official")
    nomination.refresh_from_db()
    assert (nomination.state, nomination.reason, nomination.registration.status) == (
        "declined", "Not an IP official", "declined",
    )  # fmt: skip
    assert len(mail.outbox) == 1 and "Reason: Not an IP official" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("start", "step", "refusal"),
    [
        ("pre_approved", "pre_approve", "Only a new nomination can be pre-approved"),
        ("approved", "approve", "Only a nomination waiting for a decision can be approved"),
        ("declined", "decline", "already declined"),
        ("pre_approved", "withdraw", "Only a nomination not yet acted on can be withdrawn"),
    ],
)
def test_a_step_out_of_order_is_refused_and_changes_nothing(plenary, chile, organiser, start, step, refusal):
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    if start in ("pre_approved", "approved"):
        run(nominations.pre_approve, nomination, actor=organiser)
    if start == "approved":
        run(nominations.approve, nomination, actor=organiser)
    if start == "declined":
        run(nominations.decline, nomination, actor=organiser, reason="No")
    actor = chile if step == "withdraw" else organiser
    kwargs = {"reason": "Again"} if step == "decline" else {}
    with pytest.raises(nominations.NominationRefused, match=refusal):
        getattr(nominations, step)(nomination, actor=actor, **kwargs)
    nomination.refresh_from_db()
    assert nomination.state == start


def test_declining_without_a_reason_is_refused(plenary, chile, organiser):
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    with pytest.raises(nominations.NominationRefused, match="Give a reason"):
        nominations.decline(nomination, actor=organiser, reason="  ")


def test_a_focal_point_sees_and_changes_nothing_of_another_economy(client, plenary, chile, peru):
    peruvian = nominate(plenary, peru, "PE", "luis@indecopi.example", "Luis Peru")
    nominations.upload_letter(plenary, "PE", SimpleUploadedFile("peru.pdf", PDF), actor=peru)
    client.force_login(chile)
    uid = peruvian.registration.uid
    assert client.get(reverse("delegations:delegation", args=[plenary.slug, "PE"])).status_code == 404
    assert client.get(reverse("delegations:letter", args=[plenary.slug, "PE"])).status_code == 404
    for name in ("delegations:withdraw", "delegations:head"):
        assert client.post(reverse(name, args=[plenary.slug, "PE", uid])).status_code == 404
        # Peru's nomination through Chile's own pages: no such nomination there.
        assert client.post(reverse(name, args=[plenary.slug, "CL", uid])).status_code == 404
    response = client.post(
        reverse("delegations:letter_upload", args=[plenary.slug, "PE"]),
        {"letter": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 404
    peruvian.refresh_from_db()
    assert peruvian.state == "nominated" and peruvian.registration.participation_type == "delegate"
    page = client.get(reverse("delegations:delegation", args=[plenary.slug, "CL"])).content.decode()
    assert "Luis Peru" not in page and "luis@indecopi.example" not in page
    mine = client.get(reverse("delegations:mine")).content.decode()
    assert "Chile" in mine and "Peru" not in mine


def test_a_cluster_focal_point_serves_every_event_of_the_cluster(plenary, owner, organiser):
    workshop = make_event("side-workshop", cluster=plenary.cluster, organisers=[organiser])
    make_user("cluster@inapi.example", economy="CL")
    point = run(
        nominations.appoint_focal_point, plenary, "cluster@inapi.example", "CL", actor=owner, whole_cluster=True
    )
    assert point.cluster == plenary.cluster and point.event is None
    served = {(event.slug, economy) for event, economy in queries.delegations_of(point.user)}
    assert served == {(plenary.slug, "CL"), (workshop.slug, "CL")}
    assert queries.is_focal_point(point.user, workshop, "CL") and not queries.is_focal_point(point.user, workshop, "PE")


def test_a_new_focal_point_gets_an_account_and_a_mail_with_a_password_link(plenary, owner):
    mail.outbox.clear()
    point = run(nominations.appoint_focal_point, plenary, "New.Focal@ipophl.example", "PH", actor=owner,
                full_name="Nora Focal")  # fmt: skip
    assert point.user.email == "new.focal@ipophl.example" and point.user.profile.full_name == "Nora Focal"
    point.refresh_from_db()
    assert point.mailed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "You are focal point of The Philippines: 60th IPEG Meeting"
    assert "/accounts/password/reset/key/" in message.body and reverse("delegations:mine") in message.body
    with pytest.raises(nominations.NominationRefused, match="already a focal point of The Philippines"):
        nominations.appoint_focal_point(plenary, "new.focal@ipophl.example", "PH", actor=owner)


def test_only_the_owner_and_staff_name_focal_points_on_the_desk(client, plenary, owner, organiser):
    url = reverse("desk:focal_point_add", args=[plenary.slug])
    data = {"email": "x@inapi.example", "economy": "CL"}
    client.force_login(organiser)
    assert client.post(url, data).status_code == 403
    client.force_login(owner)
    assert client.post(url, data).status_code == 302
    assert FocalPoint.objects.get(economy="CL").user.email == "x@inapi.example"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "economy": "CL"}, "Enter a valid email address."),
        ({"email": "x@inapi.example", "economy": "XX"}, "Choose one of the member economies."),
        ({"email": "x@inapi.example", "economy": ""}, "This field is required."),
    ],
)
def test_bad_input_naming_a_focal_point_gets_a_clear_message(client, plenary, owner, data, message):
    client.force_login(owner)
    response = client.post(reverse("desk:focal_point_add", args=[plenary.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FocalPoint.objects.exists()


def test_the_desk_decisions_are_the_secretariats_and_not_the_focal_points(client, plenary, chile, organiser):
    viewer = make_user("viewer@apec.example")
    EventRole.objects.create(event=plenary, user=viewer, role=EventRole.Role.VIEWER)
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    url = reverse("desk:nomination_approve", args=[plenary.slug, nomination.registration.uid])
    client.force_login(chile)
    assert client.post(url).status_code == 404
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == "nominated"
    client.force_login(organiser)
    assert client.post(url).status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == "approved"


def test_declining_on_the_desk_without_a_reason_says_so_and_changes_nothing(client, plenary, chile, organiser):
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    client.force_login(organiser)
    response = client.post(
        reverse("desk:nomination_decline", args=[plenary.slug, nomination.registration.uid]), {"reason": ""},
        follow=True,
    )  # fmt: skip
    assert "Give a reason; the delegate and the focal point are told it." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == "nominated"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "Ana", "email": "nope", "participation_type": "delegate"}, "Enter a valid email address."),
        ({"full_name": "", "email": "a@inapi.example", "participation_type": "delegate"}, "This field is required."),
        (
            {"full_name": "Ana", "email": "a@inapi.example", "participation_type": "observer"},
            "Choose delegate or Head of Delegation.",
        ),
    ],
)
def test_bad_input_nominating_gets_a_clear_message(client, plenary, chile, data, message):
    client.force_login(chile)
    response = client.post(reverse("delegations:delegation", args=[plenary.slug, "CL"]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Nomination.objects.exists()


def test_nominating_someone_already_registered_says_so(client, plenary, chile):
    person = make_user("observer@inapi.example", economy="CL")
    registration_services.register(plenary, person, participation_type="observer")
    client.force_login(chile)
    response = client.post(
        reverse("delegations:delegation", args=[plenary.slug, "CL"]),
        {"full_name": "Obs", "email": "observer@inapi.example", "participation_type": "delegate"},
    )
    assert response.status_code == 400
    assert "observer@inapi.example is already registered for this meeting (confirmed, observer)." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("letter.pdf", b"PK\x03\x04 not a pdf"), "This file is named .pdf but is not a PDF."),
        (SimpleUploadedFile("letter.docx", b"PK\x03\x04"), "The nomination letter must be a PDF file (.pdf)."),
        (SimpleUploadedFile("letter.pdf", b""), "The file is empty."),
        (SimpleUploadedFile("letter.pdf", PDF + b"x" * 2048), "The file is larger than 0 MB."),
    ],
    ids=["not-a-pdf", "word-file", "empty", "too-big"],
)
@override_settings(DOCUMENT_MAX_BYTES=1024)
def test_a_bad_letter_gets_a_clear_message_and_is_not_kept(client, plenary, chile, upload, message):
    client.force_login(chile)
    response = client.post(reverse("delegations:letter_upload", args=[plenary.slug, "CL"]), {"letter": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not plenary.nomination_letters.exists()


def test_the_letter_is_read_by_its_focal_points_and_the_organisers_only(client, plenary, chile, peru, organiser):
    client.force_login(chile)
    response = client.post(
        reverse("delegations:letter_upload", args=[plenary.slug, "CL"]),
        {"letter": SimpleUploadedFile("signed.pdf", PDF)},
    )
    assert response.status_code == 302
    download = client.get(reverse("delegations:letter", args=[plenary.slug, "CL"]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith('attachment; filename="ipeg-60-nomination-cl.pdf"')
    client.force_login(organiser)
    desk = client.get(reverse("desk:nomination_letter", args=[plenary.slug, "CL"]))
    assert b"".join(desk.streaming_content) == PDF
    client.force_login(peru)
    assert client.get(reverse("desk:nomination_letter", args=[plenary.slug, "CL"])).status_code == 404


def test_the_delegate_completes_their_own_details_and_nobody_else_can(client, plenary, chile):
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    registration = nomination.registration
    url = reverse("delegations:details", args=[registration.uid])
    client.force_login(chile)
    assert client.get(url).status_code == 404
    client.force_login(registration.user)
    page = client.get(reverse("registrations:detail", args=[registration.uid])).content.decode()
    assert "Chile nominated you as member-economy delegate: <strong>nominated</strong>" in page
    bad = client.post(url, {"participation_mode": "in_person", "invitation_letter": "on"})
    assert bad.status_code == 400 and "Needed for the invitation letter." in bad.content.decode()
    response = client.post(
        url,
        {
            "participation_mode": "in_person", "dietary_needs": "Vegetarian", "invitation_letter": "on",
            "passport_name": "ANA ROJAS", "nationality": "Chilean", "passport_number": "C1234567",
            "date_of_birth": "1980-04-02", "organisation": "INAPI",
        },
    )  # fmt: skip
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.dietary_needs, registration.passport_number, registration.organisation) == (
        "Vegetarian", "C1234567", "INAPI",
    )  # fmt: skip
    assert registration.privacy_consent_at is not None
    assert LogEntry.objects.get(action="registration.details_completed").after["fields"][:2] == [
        "organisation", "dietary_needs",
    ]  # fmt: skip


def test_the_delegate_answers_the_events_own_questions_for_their_type(client, plenary, chile):
    from questions import services as question_services
    from questions.models import Answer, Question

    arrival = question_services.add_question(
        plenary, actor=None, kind=Question.Kind.DATE, label="Arrival date", required=True,
        participation_types=["delegate", "head_of_delegation"],
    )  # fmt: skip
    question_services.add_question(
        plenary, actor=None, kind=Question.Kind.SHORT_TEXT, label="Talk title", participation_types=["speaker"]
    )
    registration = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas").registration
    url = reverse("delegations:details", args=[registration.uid])
    client.force_login(registration.user)
    page = client.get(url).content.decode()
    assert "Arrival date" in page and "Talk title" not in page
    details = {"participation_mode": "in_person", "organisation": "INAPI"}
    missing = client.post(url, details)
    assert missing.status_code == 400 and "Please answer this question." in missing.content.decode()
    assert not Answer.objects.exists()
    assert client.post(url, {**details, f"questions-question_{arrival.pk}": "2031-02-16"}).status_code == 302
    assert Answer.objects.get(registration=registration, question=arrival).value == "2031-02-16"
    assert 'value="2031-02-16"' in client.get(url).content.decode()  # shown again to be changed


def _delegations_of(event, economies, per_economy, owner):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from delegations.participant_list import MEMBER_ECONOMIES
    from registrations.models import ParticipantProfile

    chosen = MEMBER_ECONOMIES[:economies]
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"d{index}-{n}@example.org", password=make_password(None))
        for index in range(economies) for n in range(per_economy + 1)
    )  # fmt: skip
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(user=user, full_name=user.email, economy="CL") for user in users
    )
    now = timezone.now()
    for index, economy in enumerate(chosen):
        people = users[index * (per_economy + 1) : (index + 1) * (per_economy + 1)]
        FocalPoint.objects.create(user=people[0], economy=economy, event=event, appointed_by=owner)
        for n, person in enumerate(people[1:]):
            registration = Registration.objects.create(
                event=event, user=person, economy=economy, queued_at=now,
                participation_type="head_of_delegation" if n == 0 else "delegate",
            )  # fmt: skip
            Nomination.objects.create(
                event=event, economy=economy, registration=registration, nominated_by=people[0],
                state=Nomination.State.values[n % 3],
            )  # fmt: skip


@pytest.mark.parametrize(("economies", "per_economy"), [(2, 2), (21, 10)])
def test_the_desk_page_reads_in_as_many_queries_whatever_the_numbers(
    client, plenary, owner, django_assert_num_queries, economies, per_economy
):
    _delegations_of(plenary, economies, per_economy, owner)
    client.force_login(owner)
    url = reverse("desk:delegations", args=[plenary.slug])
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    page = response.content.decode()
    assert page.count('class="state state-') == economies * per_economy
    assert page.index("Australia") < page.index("Brunei Darussalam")


# Session and user, the event with the viewer's role, the settings, focal
# points, nominations, quotas, letters: the same for 2 nominations and 210.
QUERIES = 9


def _focal_point_routes(event, nomination):
    uid = nomination.registration.uid
    return [
        ("GET", reverse("delegations:delegation", args=[event.slug, "CL"]), {}),
        ("POST", reverse("delegations:delegation", args=[event.slug, "CL"]),
         {"full_name": "Intruder", "email": "intruder@indecopi.example", "participation_type": "delegate"}),
        ("GET", reverse("delegations:letter", args=[event.slug, "CL"]), {}),
        ("POST", reverse("delegations:letter_upload", args=[event.slug, "CL"]),
         {"letter": SimpleUploadedFile("x.pdf", PDF)}),
        ("POST", reverse("delegations:withdraw", args=[event.slug, "CL", uid]), {}),
        ("POST", reverse("delegations:head", args=[event.slug, "CL", uid]), {}),
        ("GET", reverse("delegations:details", args=[uid]), {}),
        ("GET", reverse("desk:delegations", args=[event.slug]), {}),
        ("POST", reverse("desk:nomination_approve", args=[event.slug, uid]), {}),
        ("POST", reverse("desk:nomination_decline", args=[event.slug, uid]), {"reason": "No"}),
        ("GET", reverse("desk:nomination_letter", args=[event.slug, "CL"]), {}),
    ]  # fmt: skip


def test_peru_s_focal_point_gets_a_404_for_every_page_and_action_of_chile_s_delegation(client, plenary, chile, peru):
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    nominations.upload_letter(plenary, "CL", SimpleUploadedFile("chile.pdf", PDF), actor=chile)
    state = lambda: (  # noqa: E731 - compared before and after
        sorted(
            Nomination.objects.values_list("registration__user__email", "state", "registration__participation_type")
        ),
        list(plenary.nomination_letters.values_list("uploaded_at", flat=True)),
    )
    before = state()
    client.force_login(peru)
    for method, url, data in _focal_point_routes(plenary, nomination):
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        assert b"ana@inapi.example" not in (b"" if response.streaming else response.content)
    assert state() == before


def test_a_nomination_mail_is_sent_once_even_when_the_ledger_is_swept_again(plenary, chile):
    from django.core.management import call_command

    mail.outbox.clear()
    nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    call_command("send_due_reminders")
    call_command("send_due_reminders")
    assert [message.subject for message in mail.outbox] == ["You are nominated: 60th IPEG Meeting"]
    assert Delivery.objects.get(kind="nomination").status == "sent"


def test_a_nominee_decided_on_the_registrations_page_is_decided_on_the_delegations_page_too(
    client, plenary, chile, organiser
):
    approved = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    declined = nominate(plenary, chile, "CL", "luis@inapi.example", "Luis Soto")
    mail.outbox.clear()
    run(registration_services.approve, approved.registration, actor=organiser)
    run(registration_services.decide_many, plenary, [declined.registration.uid], "decline", actor=organiser,
        reason="Not an IP official")  # fmt: skip
    approved.refresh_from_db()
    declined.refresh_from_db()
    assert (approved.state, approved.registration.status) == ("approved", "confirmed")
    assert (declined.state, declined.reason) == ("declined", "Not an IP official")
    # One mail each, the registration's own, and the nomination's step logged with who took it.
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@inapi.example", "luis@inapi.example"]
    logged = LogEntry.objects.filter(action__in=["delegation.approved", "delegation.declined"])
    assert sorted((entry.action, entry.actor_id) for entry in logged) == [
        ("delegation.approved", organiser.pk), ("delegation.declined", organiser.pk),
    ]  # fmt: skip
    with pytest.raises(nominations.NominationRefused, match="waiting for a decision"):
        nominations.approve(approved, actor=organiser)
    client.force_login(organiser)
    page = client.get(reverse("desk:delegations", args=[plenary.slug])).content.decode()
    assert "Approved" in page and "Declined" in page


def test_a_nominee_who_cancelled_cannot_be_approved(plenary, chile, organiser):
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    registration_services.cancel(nomination.registration, actor=nomination.registration.user)
    with pytest.raises(nominations.NominationRefused, match="registration is cancelled; it cannot be approved"):
        nominations.approve(nomination, actor=organiser)


def test_the_activity_page_names_each_step_of_a_nomination_in_words(client, plenary, chile, organiser):
    nomination = nominate(plenary, chile, "CL", "ana@inapi.example", "Ana Rojas")
    run(nominations.decline, nomination, actor=organiser, reason="Not an IP official")
    client.force_login(organiser)
    page = client.get(reverse("desk:activity", args=[plenary.slug]), {"action": "delegation"}).content.decode()
    for words in ("Focal point named", "Delegate nominated", "Nomination declined", "Not an IP official"):
        assert words in page
