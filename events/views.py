from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from ops.dispatch import after_commit

from . import documents, progress, tasks
from .agenda import rendered_agenda
from .event_page import event_page_context
from .forms import EventFilterForm, ReaderZoneForm
from .markdown import render_markdown
from .models import AgendaVersion, Event, PublishedItem
from .programme_files import programme_response, public_programme_row
from .reader_zone import chose_unknown_zone, reader_zone, remember_reader_zone
from .timezones import zone_options_html, zone_or_none

EVENTS_PER_PAGE = 20


def _events_for(request):
    return Event.objects.visible_to(request.user).select_related("venue", "cluster")


def _visible_event(request, slug, *related):
    return get_object_or_404(_events_for(request).select_related(*related), slug=slug)


def home(request):
    upcoming = Event.objects.public().filter(ends_at__gte=timezone.now()).select_related("venue", "cluster")[:6]
    return render(request, "home.html", {"upcoming": upcoming})


def event_list(request):
    form = EventFilterForm(request.GET or None)
    events = _events_for(request)
    now = timezone.now()
    when = "upcoming"
    if form.is_bound and form.is_valid():
        filters = form.cleaned_data
        when = filters["when"] or "upcoming"
        if filters["kind"]:
            events = events.filter(kind=filters["kind"])
        if filters["cluster"]:
            events = events.filter(cluster=filters["cluster"])
        if filters["project"]:
            events = events.filter(project_code__icontains=filters["project"].strip())
    if when == "upcoming":
        events = events.filter(ends_at__gte=now).order_by("starts_at")
    elif when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at")
    else:
        events = events.order_by("-starts_at")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/event_list.html",
        {"form": form, "page": page, "when": when, "query": query.urlencode()},
    )


def event_detail(request, slug):
    event = _visible_event(request, slug, "current_version")
    can_manage = request.user.is_authenticated and Event.objects.managed_by(request.user).filter(pk=event.pk).exists()
    zone = reader_zone(request)
    response = render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "description_html": render_markdown(event.description),
            "can_manage": can_manage,
            "reader_zone": zone if zone is not None and zone.key != event.tz.key else None,
            "zone_unknown": chose_unknown_zone(request),
            "zone_options": zone_options_html(zone),
            # The reader's registration, seats left, the registration window in words.
            **event_page_context(request, event),
        },
    )
    return remember_reader_zone(request, response)


def _agenda_page(request, event, version):
    zone_form = ReaderZoneForm(request.GET or None)
    reader_zone = None
    if zone_form.is_bound and zone_form.is_valid():
        reader_zone = zone_or_none(zone_form.cleaned_data["tz"])
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "version": version,
            "is_latest": version is not None and version.pk == event.current_version_id,
            "agenda_html": rendered_agenda(event, version, reader_zone) if version else "",
            "zone_form": zone_form,
            "zone_options": zone_options_html(reader_zone),
            "reader_zone": reader_zone,
        },
    )


def agenda(request, slug):
    event = _visible_event(request, slug, "current_version")
    return _agenda_page(request, event, event.current_version)


def agenda_history(request, slug):
    event = _visible_event(request, slug)
    versions = AgendaVersion.objects.filter(event=event).select_related("published_by")
    return render(request, "events/agenda_history.html", {"event": event, "versions": versions})


def agenda_version(request, slug, number):
    event = _visible_event(request, slug)
    version = AgendaVersion.objects.filter(event=event, number=number).first()
    if version is None:
        raise Http404("No such agenda version.")
    return _agenda_page(request, event, version)


def agenda_pdf(request, slug, status=False):
    """The printed programme of the latest published version. Served from
    storage; rendered once, by the first request (small agendas) or by the
    worker while the reader watches a progress page (large ones). With
    ``status`` (the page's status URL) it answers how far that is, as JSON."""
    if request.user.is_authenticated:
        row = (
            Event.objects.visible_to(request.user)
            .filter(slug=slug)
            .values_list("current_version_id", "current_version__programme", "current_version__number")
            .first()
        )
    else:
        row = public_programme_row(slug)
    if row is None:
        raise Http404("No such event.")
    version_id, stored, number = row
    if version_id is None:
        raise Http404("The agenda of this event has not been published yet.")
    if not stored:
        size = PublishedItem.objects.filter(version_id=version_id).count()
        if size > documents.INLINE_RENDER_LIMIT:
            if documents.claim_background_render(version_id):
                after_commit(tasks.render_programme, version_id)
            answer = progress.status(
                progress.PENDING,
                f"The programme of {size} sessions is being typeset. "
                "The PDF opens as soon as it is ready; large programmes take a minute or two.",
            )
            if status:
                return progress.status_response(answer)
            event = _visible_event(request, slug)
            response = render(
                request,
                "events/programme_pending.html",
                {"event": event, "size": size, "status": answer},
                status=202,
            )
            response["Retry-After"] = "5"
            return response
        if not status:  # a small one: the PDF's own request renders it, no waiting
            stored = documents.ensure_programme(version_id).programme.name
    if status:
        return progress.status_response(
            progress.status(
                progress.READY,
                "The programme is ready.",
                url=reverse("events:agenda_pdf", args=[slug]),
                url_label="Open the programme (PDF)",
            )
        )
    return programme_response(slug, stored, number)
