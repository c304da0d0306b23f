"""The XLSX and PDF downloads: shared by default, exact for organisers on
request, and the same XLSX bytes for the same data whatever the clock says."""

import io
import shutil
import subprocess
import time
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import completion, spreadsheet, suppression

from .conftest import fill, make_report_event

pytestmark = pytest.mark.django_db


def pdf_text(content, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed; make test installs it")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def participant_counts(content):
    sheet = load_workbook(io.BytesIO(content))["Participants"]
    return [cell for row in sheet.iter_rows(min_col=2, values_only=True) for cell in row if cell is not None]


def test_the_spreadsheet_is_shared_unless_the_exact_one_is_asked_for(desk, organiser):
    event = make_report_event("download-workshop", organiser)
    fill(event, 50, seed=4)
    shared = desk.get(reverse("desk:report_file", args=[event.slug, "xlsx"]))
    assert shared["Content-Disposition"] == f'attachment; filename="{event.slug}-completion-report.xlsx"'
    cells = participant_counts(shared.content)
    assert "<3" in cells and 1 not in cells and 2 not in cells
    workbook = load_workbook(io.BytesIO(shared.content))
    assert "Detail (organisers only)" not in workbook.sheetnames
    assert workbook["Report"]["A2"].value.startswith("Shared version")

    exact = desk.get(reverse("desk:report_file", args=[event.slug, "xlsx"]) + "?version=exact")
    assert "exact-organisers-only" in exact["Content-Disposition"]
    cells = participant_counts(exact.content)
    assert "<3" not in cells and 1 in cells
    workbook = load_workbook(io.BytesIO(exact.content))
    assert workbook["Report"]["A2"].value.startswith("Exact numbers: for organisers only")
    detail = list(workbook["Detail (organisers only)"].iter_rows(min_row=2, values_only=True))
    assert sum(row[-1] for row in detail) == completion.build([event], event.title).participant_total


def test_the_same_data_gives_the_same_spreadsheet_bytes_on_another_day(organiser):
    event = make_report_event("reproducible-workshop", organiser)
    fill(event, 40, seed=8)
    first = spreadsheet.build(completion.build([event], event.title).as_shared())
    # Zip entries keep times to 2 seconds: a later build must not carry a later one.
    time.sleep(2.1)
    with mock.patch("time.time", return_value=time.time() + 3 * 86400):
        again = spreadsheet.build(completion.build([event], event.title).as_shared())
    assert again == first
    properties = load_workbook(io.BytesIO(first)).properties
    assert properties.created == properties.modified == event.ends_at.replace(tzinfo=None, microsecond=0)


def test_the_pdf_is_shared_by_default_and_says_so(desk, organiser, tmp_path):
    event = make_report_event("printed-workshop", organiser)
    fill(event, 50, seed=4)
    shared = desk.get(reverse("desk:report_file", args=[event.slug, "pdf"]))
    assert shared["Content-Type"] == "application/pdf"
    text = pdf_text(shared.content, tmp_path)
    assert "as shared: counts of 1 or 2 people shown as <3" in text
    assert "Participants by economy and sex" in text and "<3" in text
    assert "Comment " not in text  # written answers are never printed
    exact = pdf_text(
        desk.get(reverse("desk:report_file", args=[event.slug, "pdf"]) + "?version=exact").content, tmp_path
    )
    assert "exact numbers — for organisers only" in exact
    assert "<3" not in exact and "Comment " not in exact


def test_a_lone_small_cell_takes_another_cell_of_its_row_and_column_with_it():
    # Female, Male, total; the last row is the totals.
    cells = [[1, 5, 6], [4, 7, 11], [0, 3, 3], [5, 15, 20]]
    shown = suppression.grid(cells)
    # The 1 is hidden; so is the 4 below it (else 5 − 4 gives it) and the 5 beside it (else 6 − 5).
    assert shown[0][0] == "<3" and shown[1][0] == "<3" and shown[0][1] == "<3"
    # Totals of 3 or more and zeros stay.
    assert shown[2][0] == 0 and shown[3] == [5, 15, 20]
    # Subtracting along any one row or column gives back no count of 1 or 2.
    columns = [[row[c] for row in cells] for c in range(3)], [[row[c] for row in shown] for c in range(3)]
    for exact, line in [*zip(cells, shown, strict=True), *zip(*columns, strict=True)]:
        hidden = [n for n, cell in zip(exact, line, strict=True) if cell == "<3"]
        if len(hidden) == 1 and line[-1] != "<3":
            assert hidden[0] >= 3


def test_a_mean_of_fewer_than_three_answers_is_not_shown():
    question = completion.QuestionResult("Useful?", "scale", n=2, mean=4.5, counts=[(str(v), 0) for v in range(1, 6)])
    question.counts[3] = ("4", 1)
    question.counts[4] = ("5", 1)
    shared = question.as_shared()
    assert shared.n == "<3" and shared.mean == "<3 answers"
    assert [count for _, count in shared.counts] == [0, 0, 0, "<3", "<3"]
