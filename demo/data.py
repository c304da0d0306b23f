"""The IPEG demo programme, after the customer's own page (shared/seed).

The Putrajaya plenary is the one the page reports as held in February 2020.
The industrial-design workshops of project IPEG 02 2020S are placed in the
next SOM weeks counted from today, so the demo always has workshops open for
registration. Every write is keyed on a stable slug or e-mail, so running the
loader again changes nothing that is already there.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from events import services
from events.economies import Economy
from events.models import AgendaItem, Event, ItemKind, MeetingCluster, Speaker, Venue
from registrations import services as registration_services
from registrations.models import ParticipantProfile, Registration

DEMO_PASSWORDS = {
    "admin@ipeg.example": "ipeg-admin-demo",
    "organiser@ipeg.example": "ipeg-organiser-demo",
    "delegate.nz@ipeg.example": "ipeg-delegate-demo",
    "delegate.my@ipeg.example": "ipeg-delegate-demo",
}
ORGANISER_PERMISSIONS = ["add_event", "add_speaker", "add_venue", "add_meetingcluster"]

SPEAKERS = {
    "chair": dict(title="Dr", name="Lim Wei Ling", position="IPEG Chair", organisation="Intellectual Property Office of Singapore", economy=Economy.SINGAPORE),
    "wipo": dict(title="Ms", name="Aiko Tanaka", position="Counsellor, Hague Registry", organisation="World Intellectual Property Organization (WIPO)", economy=Economy.OTHER, bio="Works with offices across Asia and the Pacific on the Hague System for the international registration of industrial designs."),
    "us": dict(title="Mr", name="Daniel Brooks", position="Attorney-Advisor, Office of Policy and International Affairs", organisation="United States Patent and Trademark Office", economy=Economy.UNITED_STATES, bio="Leads the United States' work on design protection in APEC, including project IPEG 02 2020S."),
    "my": dict(title="Dr", name="Nurul Aziz", position="Director, Industrial Design Division", organisation="Intellectual Property Corporation of Malaysia (MyIPO)", economy=Economy.MALAYSIA),
    "nz": dict(title="Ms", name="Hana Walker", position="Principal Policy Adviser", organisation="Intellectual Property Office of New Zealand (IPONZ)", economy=Economy.NEW_ZEALAND, bio="Advises on New Zealand's designs law reform and Hague accession."),
    "jp": dict(title="Mr", name="Kenji Sato", position="Deputy Director, Design Division", organisation="Japan Patent Office", economy=Economy.JAPAN),
    "kr": dict(title="Dr", name="Park Min-jun", position="Senior Examiner, Design Examination Policy", organisation="Korean Intellectual Property Office", economy=Economy.KOREA),
    "ph": dict(title="Atty.", name="Maria Santos", position="Director, Bureau of Trademarks and Designs", organisation="Intellectual Property Office of the Philippines", economy=Economy.PHILIPPINES),
    "sec": dict(title="Ms", name="Siti Rahman", position="Program Director", organisation="APEC Secretariat", economy=Economy.OTHER),
}  # fmt: skip


@dataclass
class Session:
    day: int
    start: str
    end: str
    title: str
    kind: str = ItemKind.PRESENTATION
    room: str = ""
    speakers: list = field(default_factory=list)
    description: str = ""


PLENARY = [
    Session(0, "09:00", "09:30", "Opening remarks and adoption of the agenda", ItemKind.OPENING, "Plenary Hall 2", ["chair", "sec"]),
    Session(0, "09:30", "10:30", "Reports from the Committee on Trade and Investment and other APEC fora", ItemKind.PLENARY, "Plenary Hall 2", ["sec"]),
    Session(0, "10:30", "11:00", "Coffee break", ItemKind.BREAK),
    Session(0, "11:00", "12:30", "Member economies' updates on intellectual property developments", ItemKind.PLENARY, "Plenary Hall 2", ["my", "jp", "kr", "ph"],
            "Each economy reports **briefly** on legislative, administrative and enforcement developments since SOM3 2019."),
    Session(0, "12:30", "14:00", "Lunch", ItemKind.LUNCH),
    Session(0, "14:00", "15:00", "Survey on the treatment of illicit streaming devices under domestic law (IPEG 01 2020S)", ItemKind.PRESENTATION, "Plenary Hall 2", ["us"],
            "The United States presents the survey design. Results will form a baseline of how ISDs are dealt with in the APEC region."),
    Session(0, "15:00", "16:00", "World Intellectual Property Organization: cooperation with APEC economies", ItemKind.PRESENTATION, "Plenary Hall 2", ["wipo"]),
    Session(0, "16:00", "16:30", "Coffee break", ItemKind.BREAK),
    Session(0, "16:30", "17:30", "Initiative on industrial design protections (IPEG 02 2020S)", ItemKind.PRESENTATION, "Plenary Hall 2", ["us"]),
    Session(1, "09:00", "10:30", "Advancing the Bogor Goals and APEC's post-2020 vision: implications for IPEG", ItemKind.PLENARY, "Plenary Hall 2", ["chair"]),
    Session(1, "10:30", "11:00", "Coffee break", ItemKind.BREAK),
    Session(1, "11:00", "12:30", "Best practices: intellectual property tools for MSMEs", ItemKind.PANEL, "Plenary Hall 2", ["my", "nz", "ph"]),
    Session(1, "12:30", "14:00", "Lunch", ItemKind.LUNCH),
    Session(1, "14:00", "15:30", "Trade facilitation and connectivity: easier access to IP rights", ItemKind.PLENARY, "Plenary Hall 2", ["jp", "kr"]),
    Session(1, "15:30", "16:30", "Work programme and summary report; closing", ItemKind.CLOSING, "Plenary Hall 2", ["chair"]),
]  # fmt: skip

PENANG_WORKSHOP = [
    Session(0, "08:30", "09:00", "Registration and welcome coffee", ItemKind.BREAK, "Foyer"),
    Session(0, "09:00", "09:30", "Opening: why design protection matters for APEC enterprises", ItemKind.OPENING, "Hall A", ["us", "my"]),
    Session(0, "09:30", "10:30", "Modern design protection: scope, term and partial designs", ItemKind.PRESENTATION, "Hall A", ["jp"]),
    Session(0, "10:30", "11:00", "Coffee break", ItemKind.BREAK, "Foyer"),
    Session(0, "11:00", "12:30", "Graphical user interfaces, icons and virtual designs", ItemKind.PANEL, "Hall A", ["kr", "us", "ph"]),
    Session(0, "12:30", "13:30", "Lunch", ItemKind.LUNCH, "Foyer"),
    Session(0, "13:30", "14:30", "The Hague System: one application, many economies", ItemKind.PRESENTATION, "Hall A", ["wipo"],
            "How an international design registration works, fees, and what offices must do to join."),
    Session(0, "14:30", "16:00", "Examination practice: case studies", ItemKind.PANEL, "Hall B", ["my", "jp", "kr"]),
    Session(0, "16:00", "16:30", "Conclusions and next steps", ItemKind.CLOSING, "Hall A", ["us"]),
]  # fmt: skip

NZ_WORKSHOP = [
    Session(0, "09:00", "09:20", "Mihi whakatau and opening", ItemKind.OPENING, "Room 1", ["nz", "us"]),
    Session(0, "09:20", "10:30", "Lessons from the Penang workshop", ItemKind.PRESENTATION, "Room 1", ["us"]),
    Session(0, "10:30", "10:50", "Morning tea", ItemKind.BREAK),
    Session(0, "10:50", "12:15", "Designs and small businesses: registration strategies", ItemKind.PANEL, "Room 1", ["nz", "ph", "my"]),
    Session(0, "12:15", "13:15", "Lunch", ItemKind.LUNCH),
    Session(0, "13:15", "14:30", "Joining the Hague Agreement: the practical steps", ItemKind.PRESENTATION, "Room 1", ["wipo", "nz"]),
    Session(0, "14:30", "16:00", "Enforcement of design rights at the border and online", ItemKind.PANEL, "Room 2", ["jp", "kr"]),
    Session(0, "16:00", "16:30", "Closing remarks", ItemKind.CLOSING, "Room 1", ["nz"]),
]  # fmt: skip

FINAL_WORKSHOP = [
    Session(0, "09:00", "09:15", "Opening", ItemKind.OPENING, "Level 2 Meeting Room", ["nz"]),
    Session(0, "09:15", "10:30", "Results of the industrial design initiative and draft best-practice principles", ItemKind.PRESENTATION, "Level 2 Meeting Room", ["us"]),
    Session(0, "10:30", "10:45", "Morning tea", ItemKind.BREAK),
    Session(0, "10:45", "12:00", "Round table: priorities of member economies", ItemKind.PANEL, "Level 2 Meeting Room", ["my", "jp", "ph", "wipo"]),
    Session(0, "12:00", "12:30", "Conclusions", ItemKind.CLOSING, "Level 2 Meeting Room", ["us", "nz"]),
]  # fmt: skip


def _user(email, *, full_name, economy, organisation, title="", job_title="", **flags):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORDS[email], **flags)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    ParticipantProfile.objects.update_or_create(
        user=user,
        defaults=dict(
            full_name=full_name, economy=economy, organisation=organisation, title=title, job_title=job_title
        ),
    )
    return user


def _speakers():
    speakers = {}
    for key, fields in SPEAKERS.items():
        speakers[key], _ = Speaker.objects.update_or_create(name=fields["name"], defaults=fields)
    return speakers


def _at(day, clock, zone):
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=zone)


def _agenda(event, first_day, sessions, speakers):
    zone = event.tz
    for session in sessions:
        day = first_day + timedelta(days=session.day)
        item, _ = AgendaItem.objects.update_or_create(
            event=event,
            title=session.title,
            starts_at=_at(day, session.start, zone),
            defaults=dict(
                kind=session.kind,
                ends_at=_at(day, session.end, zone),
                room=session.room,
                description=session.description,
            ),
        )
        item.speakers.set([speakers[key] for key in session.speakers])


def _event(slug, *, cluster, venue, first_day, last_day, start, end, organiser, **fields):
    zone = ZoneInfo(venue.timezone)
    event, _ = Event.objects.update_or_create(
        slug=slug,
        defaults=dict(
            cluster=cluster,
            venue=venue,
            starts_at=_at(first_day, start, zone),
            ends_at=_at(last_day, end, zone),
            status=Event.Status.PUBLISHED,
            **fields,
        ),
    )
    event.organisers.add(organiser, through_defaults={"role": "owner"})
    return event


def _publish_first_version(event, organiser, note):
    if not event.agenda_versions.exists():
        services.publish_agenda(event, actor=organiser, note=note)


@transaction.atomic
def load(today=None):
    today = today or timezone.localdate()
    year = today.year + 1

    organisers = Group.objects.get_or_create(name="Organisers")[0]
    organisers.permissions.set(Permission.objects.filter(codename__in=ORGANISER_PERMISSIONS))
    _user("admin@ipeg.example", full_name="Demo Administrator", economy=Economy.OTHER,
          organisation="APEC Secretariat", is_staff=True, is_superuser=True)  # fmt: skip
    organiser = _user("organiser@ipeg.example", full_name="Rachel Tan", title="Ms", economy=Economy.MALAYSIA,
                      organisation="Intellectual Property Corporation of Malaysia (MyIPO)", job_title="IPEG host team")  # fmt: skip
    organiser.groups.add(organisers)
    delegate_nz = _user("delegate.nz@ipeg.example", full_name="Tama Ngata", title="Mr", economy=Economy.NEW_ZEALAND,
          organisation="Ministry of Business, Innovation and Employment", job_title="Senior Policy Advisor")  # fmt: skip
    delegate_my = _user("delegate.my@ipeg.example", full_name="Aisyah Ismail", title="Ms", economy=Economy.MALAYSIA,
          organisation="Ministry of Domestic Trade and Consumer Affairs", job_title="Assistant Director")  # fmt: skip

    speakers = _speakers()
    venues = {
        "picc": Venue.objects.update_or_create(
            name="Putrajaya International Convention Centre",
            defaults=dict(city="Putrajaya", economy=Economy.MALAYSIA, timezone="Asia/Kuala_Lumpur",
                          address="Dataran Gemilang, Presint 5"),
        )[0],
        "spice": Venue.objects.update_or_create(
            name="Setia SPICE Convention Centre",
            defaults=dict(city="Penang", economy=Economy.MALAYSIA, timezone="Asia/Kuala_Lumpur",
                          address="Jalan Tun Dr Awang, Bayan Lepas"),
        )[0],
        "auckland": Venue.objects.update_or_create(
            name="Aotea Centre",
            defaults=dict(city="Auckland", economy=Economy.NEW_ZEALAND, timezone="Pacific/Auckland",
                          address="50 Mayoral Drive"),
        )[0],
        "wellington": Venue.objects.update_or_create(
            name="Tākina Wellington Convention and Exhibition Centre",
            defaults=dict(city="Wellington", economy=Economy.NEW_ZEALAND, timezone="Pacific/Auckland",
                          address="50 Cable Street"),
        )[0],
    }  # fmt: skip

    def cluster(meeting, cluster_year, city, economy, start, end):
        return MeetingCluster.objects.update_or_create(
            slug=f"{meeting.lower()}-{cluster_year}-{city.lower()}",
            defaults=dict(meeting=meeting, year=cluster_year, host_city=city, host_economy=economy,
                          start_date=start, end_date=end),
        )[0]  # fmt: skip

    putrajaya = cluster("SOM1", 2020, "Putrajaya", Economy.MALAYSIA, date(2020, 2, 7), date(2020, 2, 22))
    penang = cluster("SOM3", year, "Penang", Economy.MALAYSIA, date(year, 8, 16), date(year, 8, 28))
    auckland = cluster("SOM1", year + 1, "Auckland", Economy.NEW_ZEALAND, date(year + 1, 2, 26), date(year + 1, 3, 9))
    wellington = cluster(
        "SOM3", year + 1, "Wellington", Economy.NEW_ZEALAND, date(year + 1, 8, 14), date(year + 1, 8, 26)
    )

    plenary_day = date(2020, 2, 17)
    plenary = _event(
        "ipeg-plenary-som1-2020-putrajaya",
        title="IPEG Meeting, SOM1 2020",
        kind=Event.Kind.IPEG_MEETING,
        cluster=putrajaya,
        venue=venues["picc"],
        first_day=plenary_day,
        last_day=plenary_day + timedelta(days=1),
        start="09:00",
        end="16:30",
        organiser=organiser,
        capacity=80,
        description=(
            "The first IPEG meeting of 2020, in the margins of SOM1 in Putrajaya, Malaysia.\n\n"
            "IPEG dialogue is targeted towards **information-sharing**, project delivery aimed at capacity building, "
            "and related initiatives such as the development of best practices. The World Intellectual Property "
            "Organization (WIPO) attends as a guest."
        ),
    )
    workshop_text = (
        "Part of the *Initiative on Industrial Design Protections* (project IPEG 02 2020S), proposed by the United "
        "States to promote modern design protection throughout the APEC region, in support of the APEC theme "
        "“Optimizing Human Potential towards a Future of Shared Prosperity”."
    )
    penang_day = date(year, 8, 19)
    penang_workshop = _event(
        "industrial-design-workshop-penang",
        title="Workshop on Industrial Design Protection (Penang)",
        kind=Event.Kind.WORKSHOP,
        cluster=penang,
        venue=venues["spice"],
        first_day=penang_day,
        last_day=penang_day,
        start="08:30",
        end="16:30",
        organiser=organiser,
        capacity=60,
        project_code="IPEG 02 2020S",
        registration_opens_at=_at(today - timedelta(days=30), "09:00", ZoneInfo("Asia/Kuala_Lumpur")),
        registration_closes_at=_at(penang_day - timedelta(days=14), "17:00", ZoneInfo("Asia/Kuala_Lumpur")),
        description="The first of two one-day workshops. " + workshop_text,
    )
    nz_day = date(year + 1, 3, 2)
    nz_workshop = _event(
        "industrial-design-workshop-new-zealand",
        title="Workshop on Industrial Design Protection (New Zealand)",
        kind=Event.Kind.WORKSHOP,
        cluster=auckland,
        venue=venues["auckland"],
        first_day=nz_day,
        last_day=nz_day,
        start="09:00",
        end="16:30",
        organiser=organiser,
        capacity=40,
        approval_required_for=["head_of_delegation"],
        project_code="IPEG 02 2020S",
        registration_opens_at=_at(today - timedelta(days=30), "09:00", ZoneInfo("Pacific/Auckland")),
        registration_closes_at=_at(nz_day - timedelta(days=14), "17:00", ZoneInfo("Pacific/Auckland")),
        description="The second one-day workshop. " + workshop_text,
    )
    final_day = date(year + 1, 8, 18)
    final_workshop = _event(
        "industrial-design-final-workshop",
        title="Final Half-Day Workshop on Industrial Design Protection",
        kind=Event.Kind.WORKSHOP,
        cluster=wellington,
        venue=venues["wellington"],
        first_day=final_day,
        last_day=final_day,
        start="09:00",
        end="12:30",
        organiser=organiser,
        capacity=30,
        project_code="IPEG 02 2020S",
        registration_opens_at=_at(today - timedelta(days=30), "09:00", ZoneInfo("Pacific/Auckland")),
        registration_closes_at=_at(final_day - timedelta(days=7), "17:00", ZoneInfo("Pacific/Auckland")),
        description="The closing half-day workshop of the initiative. " + workshop_text,
    )

    first_plenary_version = not plenary.agenda_versions.exists()
    # Version 1 of the plenary had the WIPO slot in the morning; version 2 moved
    # it, so the demo shows a changelog.
    if first_plenary_version:
        _agenda(plenary, plenary_day, [s for s in PLENARY if not s.title.startswith("World Intellectual")], speakers)
        services.publish_agenda(plenary, actor=organiser, note="Provisional agenda.")
    _agenda(plenary, plenary_day, PLENARY, speakers)
    if first_plenary_version:
        services.publish_agenda(plenary, actor=organiser, note="WIPO presentation added on day 1.")

    for event, first_day, sessions in [
        (penang_workshop, penang_day, PENANG_WORKSHOP),
        (nz_workshop, nz_day, NZ_WORKSHOP),
        (final_workshop, final_day, FINAL_WORKSHOP),
    ]:
        _agenda(event, first_day, sessions, speakers)
        _publish_first_version(event, organiser, note="")

    for person, event, answers in [
        (delegate_my, penang_workshop, {"dietary_needs": "Halal"}),
        (delegate_nz, nz_workshop, {"participation_type": "head_of_delegation"}),
        (delegate_nz, penang_workshop, {}),
    ]:
        if not Registration.objects.filter(event=event, user=person).exists():
            registration_services.register(event, person, **answers)
    _plenary_attendance(plenary, organiser, _plenary_seats(delegate_my, delegate_nz))
    _funded_traveller(plenary, organiser, delegate_my)
    _plenary_funding(plenary, organiser)
    _plenary_surveys(plenary, organiser)
    _final_participant_list(plenary, organiser)
    _delegation(penang_workshop, organiser, delegate_nz)
    # Private: remote participants reach it through their personal join links only.
    Event.objects.filter(pk=penang_workshop.pk, remote_meeting_url="").update(
        remote_meeting_url="https://meet.example.org/j/ipeg-penang-workshop"
    )
    return DEMO_PASSWORDS


# The plenary's other participants, seated in 2020 (registration has long
# closed, so they are written as the attendance below is, keyed on e-mail):
# e-mail, title, name, economy, organisation, job title, participation type,
# way of taking part, sex ("" for not given), days attended, e-mail in the list.
PLENARY_PARTICIPANTS = [
    ("participant.sg@ipeg.example", "Dr", "Lim Wei Ling", Economy.SINGAPORE, "Intellectual Property Office of Singapore", "IPEG Chair", "head_of_delegation", "in_person", "female", (0, 1), True),
    ("participant.us@ipeg.example", "Mr", "Daniel Brooks", Economy.UNITED_STATES, "United States Patent and Trademark Office", "Attorney-Advisor", "head_of_delegation", "in_person", "male", (0, 1), True),
    ("participant.jp@ipeg.example", "Mr", "Kenji Sato", Economy.JAPAN, "Japan Patent Office", "Deputy Director, Design Division", "head_of_delegation", "in_person", "male", (0, 1), False),
    ("participant.kr@ipeg.example", "Dr", "Park Min-jun", Economy.KOREA, "Korean Intellectual Property Office", "Senior Examiner", "delegate", "remote_speaking", "male", (1,), False),
    ("participant.pe@ipeg.example", "Ms", "Lucía Quispe", Economy.PERU, "INDECOPI", "Specialist, Distinctive Signs", "delegate", "remote_listening", "", (0,), False),
    ("participant.vn@ipeg.example", "Mr", "Nguyen Van Minh", Economy.VIET_NAM, "Intellectual Property Office of Viet Nam", "Deputy Director General", "delegate", "in_person", "prefer_not", (0, 1), True),
    ("participant.ph@ipeg.example", "Atty.", "Maria Santos", Economy.PHILIPPINES, "Intellectual Property Office of the Philippines", "Director, Bureau of Trademarks and Designs", "speaker", "in_person", "female", (0, 1), True),
    ("participant.wipo@ipeg.example", "Ms", "Aiko Tanaka", Economy.OTHER, "World Intellectual Property Organization (WIPO)", "Counsellor, Hague Registry", "guest", "in_person", "female", (0,), True),
    ("participant.sec@ipeg.example", "Ms", "Siti Rahman", Economy.OTHER, "APEC Secretariat", "Program Director", "secretariat", "in_person", "female", (0, 1), True),
]  # fmt: skip


@dataclass
class Seat:
    person: object
    mode: str
    days: tuple
    participation_type: str = "delegate"
    sex: str = ""
    email_in_list: bool = False


def _participant(email, title, name, economy, organisation, job_title, sex):
    """A participant without a demo login (no password: they never sign in)."""
    User = get_user_model()
    user = User.objects.filter(email=email).first() or User.objects.create_user(email)
    ParticipantProfile.objects.get_or_create(
        user=user,
        defaults=dict(full_name=name, title=title, economy=economy, organisation=organisation, job_title=job_title,
                      sex=sex),
    )  # fmt: skip
    return user


def _plenary_seats(in_room, online):
    """One demo delegate in the room for the first day's sessions, one
    following the second day online (their sex not given), and the others of
    PLENARY_PARTICIPANTS."""
    seats = [
        Seat(in_room, Registration.Mode.IN_PERSON, (0,)),
        Seat(online, Registration.Mode.REMOTE_LISTENING, (1,)),
    ]
    for email, title, name, economy, organisation, job, kind, mode, sex, days, listed in PLENARY_PARTICIPANTS:
        person = _participant(email, title, name, economy, organisation, job, sex)
        seats.append(Seat(person, mode, days, kind, sex, listed))
    return seats


def _plenary_attendance(plenary, organiser, seats):
    """The 2020 plenary took place: those in the room attended (checked in,
    door scans), those online stayed confirmed with join-link marks, so the
    desk's attendance page, the certificates and the completion report list
    sessions and people."""
    from attendance.models import AttendanceMark
    from attendance.sessions import sessions_of

    plenary.refresh_from_db()
    sessions = sessions_of(plenary)
    first_day = sessions[0].starts_at.astimezone(plenary.tz).date()
    for seat in seats:
        person, remote = seat.person, seat.mode in Registration.REMOTE
        registration, _ = Registration.objects.get_or_create(
            event=plenary,
            user=person,
            defaults={
                "status": Registration.Status.CONFIRMED if remote else Registration.Status.ATTENDED,
                "economy": person.profile.economy,
                "organisation": person.profile.organisation,
                "participation_type": seat.participation_type,
                "participation_mode": seat.mode,
                "sex": seat.sex,
                "email_in_participant_list": seat.email_in_list,
                "queued_at": plenary.starts_at - timedelta(days=30),
                "checked_in_at": None if remote else plenary.starts_at,
            },
        )
        days = [
            item for item in sessions if (item.starts_at.astimezone(plenary.tz).date() - first_day).days in seat.days
        ]
        AttendanceMark.objects.bulk_create(
            [
                AttendanceMark(
                    registration=registration,
                    item_uid=item.uid,
                    mode="remote" if remote else "in_person",
                    source="join_link" if remote else "door_scan",
                    marked_at=item.starts_at,
                    marked_by=None if remote else organiser,
                )
                for item in days
            ],
            ignore_conflicts=True,
        )


def _funded_traveller(plenary, organiser, person):
    """Malaysia is travel-eligible: its delegate to the 2020 plenary travelled
    on APEC funding, so the desk's Travel funding page has a claim to show."""
    from travel import services as travel_services
    from travel.models import FundedTraveller, TravelEligibility

    registration = Registration.objects.get(event=plenary, user=person)
    eligible = TravelEligibility.objects.filter(economy=registration.economy, eligible=True).exists()
    if eligible and not FundedTraveller.objects.filter(registration=registration).exists():
        travel_services.fund(registration, Registration.Funding.APEC_PARTICIPANT, actor=organiser)


# Funding the organiser recorded for the plenary (the Malaysian delegate's
# travel funding is _funded_traveller's): a speaker and a guest expert.
PLENARY_FUNDING = {
    "participant.ph@ipeg.example": Registration.Funding.APEC_SPEAKER,
    "participant.wipo@ipeg.example": Registration.Funding.APEC_EXPERT,
}


def _plenary_funding(plenary, organiser):
    registrations = Registration.objects.filter(event=plenary, user__email__in=PLENARY_FUNDING).select_related("user")
    for registration in registrations:
        # Changes and logs nothing when the funding is already set.
        registration_services.set_funding(registration, PLENARY_FUNDING[registration.user.email], actor=organiser)


# What each participant answered to the plenary's evaluation: the four scales
# (objectives, relevance, speakers, materials), then what they will do with
# it and their suggestions. Those not here (delegate.nz, the Peruvian
# delegate) have not answered, so the demo shows an unanswered invitation.
EVALUATION_ANSWERS = {
    "delegate.my@ipeg.example": (5, 5, 4, 4, "Brief our examiners on the other economies' design practice.", ""),
    "participant.sg@ipeg.example": (4, 4, 5, 3, "", "Circulate the meeting documents a week before the meeting."),
    "participant.us@ipeg.example": (5, 4, 4, 4, "", ""),
    "participant.jp@ipeg.example": (4, 5, 4, 3, "Propose a seminar on IP tools for MSMEs at our office.", ""),
    "participant.kr@ipeg.example": (3, 4, 3, 2, "", "The sound for remote participants was poor in the afternoon."),
    "participant.vn@ipeg.example": (4, 3, 4, 4, "", ""),
    "participant.ph@ipeg.example": (5, 5, 5, 4, "", ""),
    "participant.wipo@ipeg.example": (4, 3, 5, 5, "", "More time for questions after each presentation."),
    "participant.sec@ipeg.example": (4, 4, 4, 3, "", ""),
}
ANSWER_KEYS = ("objectives_met", "relevance", "speakers", "materials", "use", "suggestions")


def _plenary_surveys(plenary, organiser):
    """The plenary's anonymous evaluation (the standard questions), opened
    now since the meeting is over, answered by most of its participants
    through the evaluation services; and its follow-up survey, a draft set to
    open 12 months after the meeting."""
    from evaluation import services as evaluation_services
    from evaluation.models import Invitation, Survey

    now = timezone.now()
    survey = Survey.objects.filter(event=plenary, kind=Survey.Kind.EVALUATION).first()
    if survey is None:
        # Open for the usual four weeks from today: the default closing date,
        # four weeks after the 2020 meeting, has long passed.
        survey = evaluation_services.create_survey(
            plenary, Survey.Kind.EVALUATION, organiser, closes_at=now + evaluation_services.OPEN_FOR
        )
    if survey.status == Survey.Status.DRAFT and not survey.scheduled:
        evaluation_services.open_survey(survey, actor=organiser, now=now)
        survey.refresh_from_db()
    if survey.status == Survey.Status.OPEN and survey.closes_at > now:
        questions = {question.standard_key: question for question in survey.questions.all()}
        waiting = Invitation.objects.filter(
            survey=survey, answered=False, registration__user__email__in=EVALUATION_ANSWERS
        ).select_related("registration__user")
        for invitation in waiting:
            values = EVALUATION_ANSWERS[invitation.registration.user.email]
            answers = [(questions[key], None, value) for key, value in zip(ANSWER_KEYS, values, strict=True)]
            evaluation_services.submit(invitation, answers, now=now)
    if not Survey.objects.filter(event=plenary, kind=Survey.Kind.FOLLOW_UP).exists():
        # A draft: twelve months after February 2020 is past, so the service
        # would refuse to schedule it (it opens only in the future).
        evaluation_services.create_follow_up(plenary, organiser, months=12)


def _final_participant_list(plenary, organiser):
    """The organiser made the plenary's List of Participants final; printed
    here (numbered among the meeting documents) rather than left to a worker
    the demo may not run. The worker's task, handed over on commit, finds it
    printed and numbers nothing twice."""
    from delegations import services as delegation_services
    from delegations.models import FinalParticipantList

    final = FinalParticipantList.objects.filter(event=plenary).first()
    if final is None:
        final = delegation_services.finalise(plenary, actor=organiser)
    if not final.printed:
        delegation_services.print_final(final.pk)


# New Zealand's delegation to the Penang workshop (open for registration):
# e-mail, name, participation type.
NZ_DELEGATION = [
    ("aroha.parata@ipeg.example", "Aroha Parata", "head_of_delegation"),
    ("james.whitfield@ipeg.example", "James Whitfield", "delegate"),
]
NZ_QUOTA = 3


def _delegation(event, organiser, focal_point):
    """The organiser names the New Zealand demo delegate focal point of New
    Zealand for the workshop and gives it a quota; the focal point nominates
    two delegates, one Head of Delegation, through delegations' services
    (which check the registration window and the quota)."""
    from delegations import nominations
    from delegations.models import EconomyQuota, FocalPoint

    economy = Economy.NEW_ZEALAND
    if not FocalPoint.objects.filter(user=focal_point, economy=economy, event=event).exists():
        nominations.appoint_focal_point(event, focal_point.email, economy, actor=organiser)
    if not EconomyQuota.objects.filter(event=event, economy=economy).exists():
        nominations.set_quota(event, economy, NZ_QUOTA, actor=organiser)
    for email, name, kind in NZ_DELEGATION:
        if not Registration.objects.filter(event=event, user__email=email).exists():
            nominations.nominate(
                event, economy, email=email, full_name=name, participation_type=kind, actor=focal_point
            )
