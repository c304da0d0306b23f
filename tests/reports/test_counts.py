"""The report's numbers equal a count done here, independently, over the
registrations, marks and answers the test made."""

from collections import Counter

import pytest

from attendance.models import AttendanceMark
from evaluation.models import Answer
from events.economies import Economy
from events.models import Event
from reports import completion

from .conftest import fill, make_report_event

pytestmark = pytest.mark.django_db


def cells_by_label(table):
    return {row["label"]: dict(zip(table.columns, row["cells"], strict=True)) for row in table.rows[:-1]}


def test_participants_by_economy_role_funding_and_sex_equal_a_count_of_the_seated(organiser):
    event = make_report_event("counted-workshop", organiser)
    made = fill(event, 120, seed=3)
    seated = [r for r in made if r.status in ("confirmed", "attended")]
    report = completion.build([event], event.title)

    assert report.participant_total == len(seated)
    by_economy, by_role, by_funding, by_mode = report.participants
    sex = dict(completion.SEX_COLUMNS)
    expected = Counter((r.get_economy_display() or "Not given", sex[r.sex]) for r in seated)
    shown = cells_by_label(by_economy)
    assert {(row, column): n for row, cells in shown.items() for column, n in cells.items() if n} == expected
    # Every economy is listed, in APEC's order, even with nobody from it.
    assert list(shown)[: len(Economy.choices)] == [label for _, label in Economy.choices]
    for table, read in (
        (by_role, lambda r: r.get_participation_type_display()),
        (by_funding, lambda r: r.get_funding_display()),
        (by_mode, lambda r: r.get_participation_mode_display()),
    ):
        expected = Counter((read(r), sex[r.sex]) for r in seated)
        assert {
            (row, column): n for row, cells in cells_by_label(table).items() for column, n in cells.items() if n
        } == expected
        assert table.total == len(seated)
        assert [row["total"] for row in table.rows[:-1]] == [
            sum(n for (row, _), n in expected.items() if row == label) for label in table.row_labels
        ]


def test_attendance_by_session_and_mode_equals_a_count_of_the_marks(organiser):
    event = make_report_event("attended-workshop", organiser, sessions=5)
    fill(event, 60, seed=5)
    report = completion.build([event], event.title)
    marks = Counter(AttendanceMark.objects.values_list("item_uid", "mode"))
    items = list(event.current_version.items.order_by("starts_at"))
    (table,) = report.attendance
    assert [row["label"].split(" · ", 1)[1] for row in table.rows[:-1]] == [item.title for item in items]
    for item, row in zip(items, table.rows, strict=False):
        assert row["cells"] == [marks[item.uid, "in_person"], marks[item.uid, "remote"]]
    assert table.total == sum(marks.values())


def test_evaluation_results_equal_a_count_of_the_answers(organiser):
    event = make_report_event("evaluated-workshop", organiser, sessions=3)
    fill(event, 40, seed=9, answers=25)
    (survey,) = completion.build([event], event.title).evaluations
    scale, choice, text, *per_session = survey.questions
    scores = list(Answer.objects.filter(question__text=scale.text).values_list("scale", flat=True))
    assert scale.n == len(scores) == 25
    assert scale.mean == round(sum(scores) / len(scores), 2)
    assert scale.counts == [(str(v), scores.count(v)) for v in range(1, 6)]
    choices = Counter(Answer.objects.filter(question__text=choice.text).values_list("choice", flat=True))
    assert choice.counts == [(c, choices[c]) for c in ("Yes", "No", "Partly")]
    assert text.n == Answer.objects.filter(question__text=text.text).exclude(text="").count()
    # A per-session question is reported for each session that has answers.
    titles = dict(event.current_version.items.values_list("uid", "title"))
    by_session = Counter(
        titles[uid] for uid in Answer.objects.filter(question__per_session=True).values_list("item_uid", flat=True)
    )
    assert {question.session: question.n for question in per_session} == by_session


def test_a_project_report_adds_up_its_events(organiser):
    first = make_report_event("first-of-project", organiser, project_code="IPEG 02 2031S")
    second = make_report_event("second-of-project", organiser, project_code="IPEG 02 2031S")
    made = fill(first, 30, seed=1) + fill(second, 25, seed=2)
    report = completion.build([first, second], "Project IPEG 02 2031S")
    assert report.participant_total == sum(r.status in ("confirmed", "attended") for r in made)
    assert len(report.attendance) == 2 and len(report.evaluations) == 2


def test_the_report_is_built_in_the_same_number_of_queries_for_10_or_200_participants(
    organiser, django_assert_num_queries
):
    small = make_report_event("small-workshop", organiser)
    fill(small, 10, seed=1)
    large = make_report_event("large-workshop", organiser)
    fill(large, 200, seed=2)
    # registrations, published items, attendance marks, surveys, questions,
    # invitations, responses, answers
    for event in Event.objects.select_related("venue").filter(pk__in=[small.pk, large.pk]):
        with django_assert_num_queries(8):
            completion.build([event], event.title)
