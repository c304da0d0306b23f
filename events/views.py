import gzip
import hashlib
import re
from functools import partial

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.safestring import mark_safe

from ops.dispatch import after_commit

from . import documents, progress, tasks
from .agenda import documents_stamp, rendered_agenda, starred_uids, with_stars
from .document_queries import levels_for
from .event_page import event_page_context
from .forms import EventFilterForm
from .markdown import render_markdown
from .models import AgendaVersion, Event, PublishedItem
from .programme_files import programme_response, public_programme_row
from .reader_zone import chose_unknown_zone, reader_zone, remember_reader_zone
from .timezones import zone_options_html

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


def _csrf_secret(request):
    if request.user.is_authenticated:
        get_token(request)  # the token is masked afresh each time; the secret behind it is not
    return request.META.get("CSRF_COOKIE", "")


def _agenda_etag(request, event, version, reader_zone, levels, stamp, starred):
    """Everything the page shows that can change, and nothing else: the
    version, the event's own row, the reader's zone, access level and stars,
    who is signed in and the CSRF cookie the page's forms rely on."""
    parts = [
        AGENDA_PAGE_REVISION,
        request.path,
        version.pk,
        event.current_version_id,
        event.updated_at.isoformat(),
        reader_zone.key if reader_zone else "-",
        levels[-1],
        stamp,
        request.user.pk or "-",
        # The secret behind the star form's token (made now if the reader has
        # none yet, so the first answer's mark already matches the next visit).
        _csrf_secret(request),
        ",".join(sorted(str(uid) for uid in starred)),
    ]
    return quote_etag(hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest())


# Bump when the agenda page's template changes, so browsers fetch it anew.
AGENDA_PAGE_REVISION = 1
_AGENDA_MARK = "<!--agenda-days-->"


def _agenda_body(request, event, version, zone, unknown_zone, levels, starred, stamp):
    """The page as bytes: the template rendered around a mark, the cached
    days (with the reader's stars) put in its place, nothing re-encoded."""
    page = render_to_string(
        "events/agenda.html",
        {
            "event": event,
            "version": version,
            "is_latest": version is not None and version.pk == event.current_version_id,
            "agenda_html": mark_safe(_AGENDA_MARK),
            "unknown_zone": unknown_zone,
            "zone_options": zone_options_html(zone),
            "reader_zone": zone,
        },
        request,
    )
    head, _, tail = page.partition(_AGENDA_MARK)  # no mark: no published agenda
    days = b""
    if version:
        html, key = rendered_agenda(event, version, zone, levels, stamp)
        days = with_stars(html, key, starred)
    return [head.encode(), days, tail.encode()]


def _agenda_page(request, event, version):
    """The agenda: shared cached HTML of the version's days (per reader zone
    and access level), the reader's stars spliced in, the rest of the page
    rendered around it. Answers If-None-Match with 304; anonymous readers'
    pages are kept whole, and gzipped once, per ETag. Queries do not grow with
    the agenda (tests/events/test_agenda_queries.py, test_agenda_page.py)."""
    zone, unknown_zone = reader_zone(request), chose_unknown_zone(request)
    levels = levels_for(request.user, event)
    starred = starred_uids(event, request.user) if version else set()
    etag, stamp = None, None
    if version and not unknown_zone and not len(messages.get_messages(request)):
        stamp = documents_stamp(event.pk)
        etag = _agenda_etag(request, event, version, zone, levels, stamp, starred)
    build = partial(_agenda_body, request, event, version, zone, unknown_zone, levels, starred, stamp)
    if etag and not request.user.is_authenticated:
        return _agenda_headers(request, _anonymous_page(request, etag, build), etag)
    if etag:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return _agenda_headers(request, not_modified, etag)
    return _agenda_headers(request, HttpResponse(build()), etag)


ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Keyed by the page's ETag, so a stale page is never served; the timeout only bounds memory.
PAGE_CACHE_SECONDS = 7 * 24 * 3600


def _anonymous_page(request, etag, build):
    """The whole page for anonymous readers, who all get the same one for a
    version, zone and state of the session documents: built once, gzipped
    once, served as stored (events/http.py does the same for feeds)."""
    compressed = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    # Each encoding is its own representation with its own tag (RFC 9110 8.8.3).
    tag = etag[:-1] + '-gzip"' if compressed else etag
    response = get_conditional_response(request, etag=tag)
    if response is None:
        key = "agenda-page:" + etag.strip('"')
        body = cache.get(key + (":gz" if compressed else ""))
        if body is None:
            plain = cache.get(key)
            if plain is None:
                plain = b"".join(build())
                cache.set(key, plain, PAGE_CACHE_SECONDS)
            body = plain
            if compressed:
                # mtime=0: the same page gives the same compressed bytes.
                body = gzip.compress(plain, compresslevel=6, mtime=0)
                cache.set(key + ":gz", body, PAGE_CACHE_SECONDS)
        response = HttpResponse(body)
        if compressed:
            response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    response["ETag"] = tag
    return response


def _agenda_headers(request, response, etag):
    remember_reader_zone(request, response)
    if etag:
        response.setdefault("ETag", etag)
        # Browsers keep the page and ask each time whether it changed.
        patch_cache_control(response, private=True, no_cache=True)
    return response


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
