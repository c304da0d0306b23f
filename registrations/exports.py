"""Registration lists as CSV and XLSX: one row per registration, every answer."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from events.text import one_line

from . import hooks

SHEET_TITLE_FORBIDDEN = re.compile(r"[:/\\?*\[\]]")


def _personal(read, letter=False):
    """A personal-data answer, or when it was erased after the event, so an
    erased cell does not read as never given (passport cells only where a
    letter was requested: without one they were never asked for)."""

    def cell(registration):
        value = read(registration)
        asked = registration.invitation_letter or not letter
        if not value and asked and registration.personal_data_erased_at:
            return f"erased after the event on {registration.personal_data_erased_at:%Y-%m-%d}"
        return value

    return cell


COLUMNS = [
    ("Name", lambda r: r.user.display_name),
    ("E-mail", lambda r: r.user.email),
    ("Status", lambda r: r.get_status_display()),
    ("Participation", lambda r: r.get_participation_type_display()),
    ("Economy", lambda r: r.get_economy_display()),
    ("Organisation", lambda r: r.organisation),
    ("Dietary needs", _personal(lambda r: r.dietary_needs)),
    ("Accessibility needs", _personal(lambda r: r.accessibility_needs)),
    ("Invitation letter", lambda r: "yes" if r.invitation_letter else "no"),
    ("Name in passport", _personal(lambda r: r.passport_name, letter=True)),
    ("Nationality", _personal(lambda r: r.nationality, letter=True)),
    ("Passport number", _personal(lambda r: r.passport_number, letter=True)),
    ("Date of birth", _personal(lambda r: r.date_of_birth.isoformat() if r.date_of_birth else "", letter=True)),
    ("Registered (UTC)", lambda r: r.created_at.strftime("%Y-%m-%d %H:%M")),
    ("Checked in (UTC)", lambda r: r.checked_in_at.strftime("%Y-%m-%d %H:%M") if r.checked_in_at else ""),
    ("Status reason", lambda r: r.status_reason),
    ("Taking part", lambda r: r.get_participation_mode_display()),
    ("Funding", lambda r: r.get_funding_display()),
]


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, CR) is
    prefixed with an apostrophe: participants type what every export holds.
    None is an empty cell."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def rows(registrations):
    registrations = list(registrations)
    # Other apps' columns (questions/: one per question the event asks).
    columns = COLUMNS + hooks.export_columns(registrations)
    yield [title for title, _ in columns]
    for registration in registrations:
        yield [spreadsheet_safe(read(registration)) for _, read in columns]


def as_csv(registrations):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows(registrations))
    # A byte-order mark so that Excel opens UTF-8 names (Nguyễn, 王) correctly.
    return "\ufeff" + buffer.getvalue()


def sheet_title(title):
    """An event title as an Excel sheet name: none of : / \\ ? * [ ], no line
    breaks or controls, not starting or ending with an apostrophe, 31
    characters at most."""
    text = " ".join(SHEET_TITLE_FORBIDDEN.sub(" ", one_line(title)).split())[:31].strip(" '")
    return text or "Registrations"


def as_xlsx(registrations, title):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for row in rows(registrations):
        # Control characters (a pasted \v) are not allowed in the file's XML.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub(" ", cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
