"""The numbers of APEC's Project Completion Report for one event or for the
events of one project code, as plain data.

Every count is one GROUP BY over the chosen events (``values().annotate``),
so building the report takes the same dozen queries for 20 participants or
2,000; which events are included is the caller's choice (the desk passes
those the user may view). Counts here are exact: ``Report.shared()`` gives
the copy meant for sharing outside the organisers (reports/suppression.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Case, Count, Q, Value, When

from attendance.models import AttendanceMark
from evaluation.models import Answer, Invitation, Question, Response, Survey
from events.economies import Economy
from events.models import ItemKind, PublishedItem
from events.participation import ParticipationType
from events.timezones import venue_time
from registrations.models import Funding, ParticipationMode, Registration, Sex

from . import suppression

PARTICIPANTS_ARE = (
    "Participants are registrations that held a seat (confirmed or attended); pending, waitlisted, declined "
    "and cancelled registrations are not counted. Someone at two events of a project counts at each."
)
SPEAKERS_ARE = (
    "Speakers are the people named on the sessions of each event's current published agenda; "
    "registrations as “Speaker” are counted under participants by role."
)
NOT_GIVEN = "Not given"
SEX_COLUMNS = [*((value, label) for value, label in Sex.choices), ("", NOT_GIVEN)]
# Sessions nobody attends as a session: not listed under attendance.
NOT_SESSIONS = {ItemKind.BREAK, ItemKind.LUNCH}


@dataclass
class Table:
    """Rows of counts with their totals: ``cells`` holds one list per row,
    the last column and the last row being totals."""

    caption: str
    row_header: str
    columns: list
    row_labels: list
    cells: list
    total_label: str = "Total"
    # False for a one-column table, whose row total would repeat its cell.
    row_totals: bool = True
    shared: bool = False

    @classmethod
    def of(cls, caption, row_header, rows, columns, counts, **extra):
        """``rows`` and ``columns`` (value, label) pairs, ``counts`` {(row, column): n}."""
        cells = [[counts.get((row, column), 0) for column, _ in columns] for row, _ in rows]
        cells = [[*line, sum(line)] for line in cells]
        totals = [sum(line[c] for line in cells) for c in range(len(columns) + 1)]
        return cls(
            caption=caption,
            row_header=row_header,
            columns=[label for _, label in columns],
            row_labels=[label for _, label in rows],
            cells=[*cells, totals],
            **extra,
        )

    @property
    def rows(self):
        labels = [*self.row_labels, self.total_label]
        return [
            {"label": label, "cells": line[:-1], "total": line[-1]}
            for label, line in zip(labels, self.cells, strict=True)
        ]

    @property
    def total(self):
        return self.cells[-1][-1]

    def as_shared(self):
        return replace(self, cells=suppression.grid(self.cells), shared=True)


@dataclass
class QuestionResult:
    text: str
    kind: str
    session: str = ""
    n: int = 0
    mean: object = None
    # (label, count) pairs: 1–5 for scales, the choices for choice questions.
    counts: list = field(default_factory=list)
    pk: int = None

    def as_shared(self):
        if self.kind == Question.Kind.TEXT:
            return replace(self, n=suppression.show(self.n))
        shown, n = suppression.line([count for _, count in self.counts], self.n)
        mean = self.mean if self.n >= suppression.THRESHOLD else f"{suppression.SMALL} answers"
        return replace(
            self, n=n, mean=mean, counts=[(label, c) for (label, _), c in zip(self.counts, shown, strict=True)]
        )


@dataclass
class SurveyResult:
    """Written answers are counted here; organisers read them on the survey's
    own results page (``event_slug``, ``pk``), never in what is shared."""

    pk: int
    event_slug: str
    event: str
    title: str
    kind: str
    status: str
    invited: int
    answered: int
    responses: int
    questions: list

    def as_shared(self):
        return replace(
            self,
            invited=suppression.show(self.invited),
            answered=suppression.show(self.answered),
            responses=suppression.show(self.responses),
            questions=[question.as_shared() for question in self.questions],
        )


@dataclass
class Report:
    title: str
    events: list
    participants: list  # Tables
    speakers: Table
    speaker_names: list
    attendance: list  # Tables, one per event
    evaluations: list  # SurveyResults
    follow_ups: list
    detail: list  # (economy, sex, role, funding, count) rows: organisers only
    shared: bool = False

    @property
    def participant_total(self):
        return self.participants[0].total

    def as_shared(self):
        """The copy meant for sharing outside the organisers: small cells
        hidden, no free text, no detail rows (its cells would give back what
        the tables hide)."""
        return replace(
            self,
            participants=[table.as_shared() for table in self.participants],
            speakers=self.speakers.as_shared(),
            # Named on the public agenda, but listed beside hidden counts they would give those back.
            speaker_names=[],
            attendance=[table.as_shared() for table in self.attendance],
            evaluations=[survey.as_shared() for survey in self.evaluations],
            follow_ups=[survey.as_shared() for survey in self.follow_ups],
            detail=[],
            shared=True,
        )


def _economy_rows(present):
    rows = list(Economy.choices)
    if "" in present:
        rows.append(("", NOT_GIVEN))
    return rows


def _participant_tables(events):
    groups = (
        Registration.objects.filter(event__in=events, status__in=Registration.SEATED)
        .values_list("economy", "sex", "participation_type", "funding", "participation_mode")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by = defaultdict(lambda: defaultdict(int))
    detail = defaultdict(int)
    for economy, sex, role, funding, mode, n in groups:
        by["economy"][economy, sex] += n
        by["role"][role, sex] += n
        by["funding"][funding, sex] += n
        by["mode"][mode, sex] += n
        detail[economy, sex, role, funding] += n
    economies = _economy_rows({economy for economy, _ in by["economy"]})
    tables = [
        Table.of("Participants by economy and sex", "Economy", economies, SEX_COLUMNS, by["economy"]),
        Table.of("Participants by role and sex", "Role", ParticipationType.choices, SEX_COLUMNS, by["role"]),
        Table.of("Participants by funding and sex", "Funding", Funding.choices, SEX_COLUMNS, by["funding"]),
        Table.of("Participants by way of taking part and sex", "Taking part", ParticipationMode.choices, SEX_COLUMNS, by["mode"]),
    ]  # fmt: skip
    labels = {
        "economy": dict(economies),
        "sex": dict(SEX_COLUMNS),
        "role": dict(ParticipationType.choices),
        "funding": dict(Funding.choices),
    }
    rank = {name: {value: place for place, value in enumerate(values)} for name, values in labels.items()}
    detail_rows = [
        (labels["economy"][e], labels["sex"][s], labels["role"][r], labels["funding"][f], n)
        for (e, s, r, f), n in sorted(
            detail.items(),
            key=lambda k: (
                rank["economy"][k[0][0]],
                rank["sex"][k[0][1]],
                rank["role"][k[0][2]],
                rank["funding"][k[0][3]],
            ),
        )
    ]
    return tables, detail_rows


def _published_items(events):
    items = PublishedItem.objects.filter(version__in=[e.current_version_id for e in events if e.current_version_id])
    return list(items.order_by("starts_at", "room", "title", "uid"))


def _speakers(events, items):
    """Each speaker once per project (by speaker id, else by name), with the
    number of sessions they spoke in."""
    sessions = defaultdict(int)
    people = {}
    for item in items:
        for speaker in item.speakers:
            key = speaker.get("id") or speaker.get("name")
            sessions[key] += 1
            people[key] = speaker
    names = sorted(
        (
            {
                "name": people[key].get("name", ""),
                "organisation": people[key].get("organisation", ""),
                "economy": people[key].get("economy", ""),
                "sessions": sessions[key],
            }
            for key in people
        ),
        key=lambda speaker: (speaker["name"].lower(), speaker["organisation"], speaker["economy"]),
    )
    by_economy = defaultdict(int)
    for speaker in names:
        by_economy[speaker["economy"] or NOT_GIVEN, "n"] += 1
    labels = dict(Economy.choices)
    rows = [(label, label) for label in labels.values()]
    if any(economy == NOT_GIVEN for economy, _ in by_economy):
        rows.append((NOT_GIVEN, NOT_GIVEN))
    table = Table.of("Speakers by economy", "Economy", rows, [("n", "Speakers")], by_economy, row_totals=False)
    return table, names


def _attendance(events, items):
    # Session uids are unique to their event: no join to the registrations needed.
    marks = (
        AttendanceMark.objects.filter(item_uid__in=[item.uid for item in items])
        .values_list("item_uid", "mode")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(uid, mode): n for uid, mode, n in marks}
    tables = []
    version_event = {event.current_version_id: event for event in events}
    for event in events:
        sessions = [
            item for item in items if version_event.get(item.version_id) is event and item.kind not in NOT_SESSIONS
        ]
        if not sessions:
            continue
        rows = [(item.uid, f"{venue_time(item.starts_at, event.tz)} · {item.title}") for item in sessions]
        tables.append(
            Table.of(
                f"Attendance by session and mode: {event.title}"
                if len(events) > 1
                else "Attendance by session and mode",
                "Session (venue time)",
                rows,
                list(AttendanceMark.Mode.choices),
                counts,
                total_label="All sessions (attendances, not people)",
            )
        )
    return tables


def _survey_results(events, items):
    surveys = list(Survey.objects.filter(event__in=events).exclude(status=Survey.Status.DRAFT).order_by("kind", "pk"))
    questions = list(Question.objects.filter(survey__in=surveys).order_by("survey", "position", "pk"))
    invited, answered = {}, {}
    for survey, n, n_answered in (
        Invitation.objects.filter(survey__in=surveys)
        .values_list("survey")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
        .order_by()
    ):
        invited[survey], answered[survey] = n, n_answered
    responses = dict(
        Response.objects.filter(survey__in=surveys).values_list("survey").annotate(n=Count("pk")).order_by()
    )
    # Scales, choices and written answers in one pass over the answers.
    scales, choices, texts = defaultdict(dict), defaultdict(dict), defaultdict(int)
    for question, uid, scale, choice, written, n in (
        Answer.objects.filter(question__in=questions)
        .annotate(written=Case(When(text="", then=Value(False)), default=Value(True)))
        .values_list("question", "item_uid", "scale", "choice", "written")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if scale is not None:
            scales[question, uid][scale] = scales[question, uid].get(scale, 0) + n
        if choice:
            choices[question, uid][choice] = choices[question, uid].get(choice, 0) + n
        if written:
            texts[question, uid] += n
    titles = {item.uid: item.title for item in items}
    events_by_pk = {event.pk: event for event in events}

    def results(question):
        keys = {uid for (q, uid) in [*scales, *choices, *texts] if q == question.pk}
        if not question.per_session:
            keys = {None}
        for uid in sorted(keys, key=lambda uid: (uid is not None, titles.get(uid, ""), str(uid))):
            session = titles.get(uid, "Session no longer on the agenda") if uid else ""
            if question.kind == Question.Kind.SCALE:
                spread = scales.get((question.pk, uid), {})
                n = sum(spread.values())
                mean = round(sum(value * count for value, count in spread.items()) / n, 2) if n else None
                counts = [(str(value), spread.get(value, 0)) for value in range(1, 6)]
                yield QuestionResult(question.text, question.kind, session, n, mean, counts, pk=question.pk)
            elif question.kind == Question.Kind.CHOICE:
                spread = choices.get((question.pk, uid), {})
                named = list(question.choices) + sorted(set(spread) - set(question.choices))
                counts = [(choice, spread.get(choice, 0)) for choice in named]
                yield QuestionResult(
                    question.text, question.kind, session, sum(spread.values()), None, counts, pk=question.pk
                )
            else:
                yield QuestionResult(
                    question.text, question.kind, session, texts.get((question.pk, uid), 0), pk=question.pk
                )

    by_survey = defaultdict(list)
    for question in questions:
        by_survey[question.survey_id].extend(results(question))
    return [
        SurveyResult(
            pk=survey.pk,
            event_slug=events_by_pk[survey.event_id].slug,
            event=events_by_pk[survey.event_id].title,
            title=survey.title,
            kind=survey.kind,
            status=survey.get_status_display(),
            invited=invited.get(survey.pk, 0),
            answered=answered.get(survey.pk, 0),
            responses=responses.get(survey.pk, 0),
            questions=by_survey[survey.pk],
        )
        for survey in surveys
    ]


def build(events, title):
    """The report of ``events`` (a list, in the order to show them)."""
    events = list(events)
    participants, detail = _participant_tables(events)
    items = _published_items(events)
    speakers, speaker_names = _speakers(events, items)
    surveys = _survey_results(events, items)
    return Report(
        title=title,
        events=events,
        participants=participants,
        speakers=speakers,
        speaker_names=speaker_names,
        attendance=_attendance(events, items),
        evaluations=[survey for survey in surveys if survey.kind == Survey.Kind.EVALUATION],
        follow_ups=[survey for survey in surveys if survey.kind == Survey.Kind.FOLLOW_UP],
        detail=detail,
    )
