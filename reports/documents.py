"""The completion report as PDF (WeasyPrint through events.documents).

Rendered within the request: its tables are aggregates whose size depends on
the economies, roles and sessions, not on the number of participants, and
written answers are never printed (bench/report.py gives the time at 2,000
participants)."""

from events.documents import render_pdf

from .completion import PARTICIPANTS_ARE, SPEAKERS_ARE


def render(report):
    return render_pdf(
        "pdf/completion_report.html",
        {
            "report": report,
            "several": len(report.events) > 1,
            "participants_are": PARTICIPANTS_ARE,
            "speakers_are": SPEAKERS_ARE,
        },
        "report.css",
    )
