"""The completion report's pages and downloads: one event's (anyone who may
view its desk), or a project code's (the events of that code the user may
view, and no others)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse

from reports import completion, documents, spreadsheet

from .permissions import VIEW, desk_events, managed_event

SHARED, EXACT = "shared", "exact"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _version(request, default):
    version = request.GET.get("version", default)
    return version if version in (SHARED, EXACT) else None


def _bad_version():
    return HttpResponseBadRequest(
        "Unknown version of the report: ask for version=shared or version=exact.", content_type="text/plain"
    )


def _project_events(request, code):
    """The events of project ``code`` whose desk the user may view; a 404 when
    there are none, as for an event they have no role on."""
    events = [event for event in desk_events(request.user) if event.project_code == code and event.desk.view]
    if not events:
        raise Http404("No event of this project code on your desk.")
    return sorted(events, key=lambda event: (event.starts_at, event.slug))


def _page(request, events, title, *, event=None, project=None, urls):
    version = _version(request, EXACT)
    if version is None:
        return _bad_version()
    report = completion.build(events, title)
    if version == SHARED:
        report = report.as_shared()
    return render(
        request,
        "desk/report.html",
        {
            "event": event,
            "project": project,
            "report": report,
            "shared": version == SHARED,
            "several": len(report.events) > 1,
            "participants_are": completion.PARTICIPANTS_ARE,
            "speakers_are": completion.SPEAKERS_ARE,
            "urls": urls,
        },
    )


def _download(request, events, title, name, file_format):
    """XLSX or PDF, as shared unless the exact version is asked for."""
    version = _version(request, SHARED)
    if version is None:
        return _bad_version()
    report = completion.build(events, title)
    if version == SHARED:
        report = report.as_shared()
    suffix = "" if version == SHARED else "-exact-organisers-only"
    if file_format == "xlsx":
        response = HttpResponse(spreadsheet.build(report), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}-completion-report{suffix}.xlsx"'
    else:
        response = HttpResponse(documents.render(report), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}-completion-report{suffix}.pdf"'
    return response


@login_required
def event_report(request, slug):
    event = managed_event(request, slug, need=VIEW)
    urls = {fmt: reverse("desk:report_file", kwargs={"slug": slug, "file_format": fmt}) for fmt in ("xlsx", "pdf")}
    return _page(request, [event], event.title, event=event, urls=urls)


@login_required
def event_report_file(request, slug, file_format):
    event = managed_event(request, slug, need=VIEW)
    return _download(request, [event], event.title, slug, file_format)


@login_required
def project_report(request, code):
    events = _project_events(request, code)
    urls = {
        fmt: reverse("desk:project_report_file", kwargs={"code": code, "file_format": fmt}) for fmt in ("xlsx", "pdf")
    }
    return _page(request, events, f"Project {code}", project=code, urls=urls)


@login_required
def project_report_file(request, code, file_format):
    events = _project_events(request, code)
    return _download(request, events, f"Project {code}", code.replace(" ", "-"), file_format)
