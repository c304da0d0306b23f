"""The completion report as an XLSX workbook, the same bytes for the same data.

openpyxl (already used by the desk's registration export) stamps a file with
"now" three ways: the workbook's modified date, the time of every zip entry
it writes from memory, and the modification time of the temporary file each
worksheet is written to first. Here all come from the data instead: the
workbook's dates are the end of the report's last event, and every zip entry
carries that same time, so building the report twice gives identical files
(tests/reports/test_downloads.py).
"""

import io
from datetime import UTC
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from registrations.exports import sheet_title

from .completion import PARTICIPANTS_ARE, SPEAKERS_ARE

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


class _DatedZip(ZipFile):
    """A zip whose entries are all dated ``date_time`` rather than now."""

    def __init__(self, file, date_time):
        super().__init__(file, "w", ZIP_DEFLATED, allowZip64=True)
        self.date_time = date_time

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self.date_time)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # Worksheets: written to a temporary file, whose mtime would be the entry's time.
        with open(filename, "rb") as handle:
            self.writestr(arcname or filename, handle.read())


def _text(value):
    # Titles and answers are typed by people: keep them text, never formulas.
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
        if value[:1] in ("=", "+", "-", "@"):
            return "'" + value
    return value


class _Sheet:
    def __init__(self, workbook, title, widths):
        self.sheet = workbook.create_sheet(sheet_title(title))
        self.row = 1
        for column, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[chr(64 + column)].width = width

    def line(self, *values, bold=False, wrap=False):
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=column, value=_text(value))
            if bold:
                cell.font = BOLD
            if wrap:
                cell.alignment = WRAP
        self.row += 1

    def gap(self):
        self.row += 1

    def table(self, table):
        self.line(table.caption, bold=True)
        totals = ["Total"] if table.row_totals else []
        self.line(table.row_header, *table.columns, *totals, bold=True)
        rows = table.rows
        for number, row in enumerate(rows, start=1):
            totals = [row["total"]] if table.row_totals else []
            self.line(row["label"], *row["cells"], *totals, bold=number == len(rows))
        self.gap()


def _surveys(sheet, surveys, several_events):
    for survey in surveys:
        title = f"{survey.event}: {survey.title}" if several_events else survey.title
        sheet.line(title, bold=True)
        sheet.line("Invited", survey.invited)
        sheet.line("Answered", survey.answered)
        for question in survey.questions:
            label = f"{question.text} ({question.session})" if question.session else question.text
            sheet.line(label, bold=True, wrap=True)
            sheet.line("Answers", question.n)
            if question.kind == "scale":
                sheet.line("Mean (1–5)", question.mean if question.mean is not None else "")
            for choice, count in question.counts:
                sheet.line(choice, count)
        sheet.gap()
    if not surveys:
        sheet.line("No survey results yet.")


def build(report):
    """The workbook's bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    several = len(report.events) > 1
    dated = max(event.ends_at for event in report.events).replace(microsecond=0)

    about = _Sheet(workbook, "Report", [60, 40])
    about.line(report.title, bold=True)
    about.line(
        "Shared version: counts of 1 or 2 people are shown as <3"
        if report.shared
        else "Exact numbers: for organisers only, not to be shared outside the organisers"
    )
    about.gap()
    about.line("Events included", bold=True)
    for event in report.events:
        about.line(event.title, event.project_code or "")
    about.gap()
    about.line(PARTICIPANTS_ARE, wrap=True)
    about.line(SPEAKERS_ARE, wrap=True)
    about.line("Participants", report.participant_total)

    participants = _Sheet(workbook, "Participants", [40, 12, 12, 12, 18, 12, 12])
    for table in report.participants:
        participants.table(table)

    speakers = _Sheet(workbook, "Speakers", [40, 40, 30, 10])
    speakers.table(report.speakers)
    if report.speaker_names:
        speakers.line("Name", "Organisation", "Economy", "Sessions", bold=True)
        for speaker in report.speaker_names:
            speakers.line(speaker["name"], speaker["organisation"], speaker["economy"], speaker["sessions"])

    attendance = _Sheet(workbook, "Attendance", [60, 12, 12, 12])
    for table in report.attendance:
        attendance.table(table)
    if not report.attendance:
        attendance.line("No published sessions.")

    _surveys(_Sheet(workbook, "Evaluation", [70, 12]), report.evaluations, several)
    _surveys(_Sheet(workbook, "Follow-up", [70, 12]), report.follow_ups, several)

    if report.detail:
        detail = _Sheet(workbook, "Detail (organisers only)", [40, 18, 28, 28, 10])
        detail.line("Economy", "Sex", "Role", "Funding", "Participants", bold=True)
        for row in report.detail:
            detail.line(*row)

    naive = dated.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = naive
    workbook.properties.creator = "IPEG Events"
    workbook.properties.title = report.title
    buffer = io.BytesIO()
    ExcelWriter(workbook, _DatedZip(buffer, naive.timetuple()[:6])).save()
    return buffer.getvalue()
