"""PDF rendering with WeasyPrint: print CSS, fonts from the system, and a URL
fetcher that reaches nothing but the app's own static files."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from .agenda import group_by_day
from .models import AgendaVersion, Speaker
from .timezones import zone_label

# Agendas up to this size are rendered within the request that first asks for
# them (well under a second); larger ones go to the worker and the reader sees
# a progress page.
INLINE_RENDER_LIMIT = 300
REQUEUE_AFTER = timedelta(minutes=10)


def _allowed_roots():
    # An entry is a directory or a (prefix, directory) pair (config/settings.py).
    roots = [
        Path(entry[1] if isinstance(entry, tuple | list) else entry).resolve() for entry in settings.STATICFILES_DIRS
    ]
    roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class StaticOnlyFetcher(URLFetcher):
    """User text can contain <img src="http://…">; escaped, it prints as text,
    and even a stray URL is never fetched: only our static files and data: URIs."""

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in _allowed_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"PDF rendering does not fetch {url}")


def _stylesheet(name):
    return CSS(filename=finders.find(f"pdf/{name}"), url_fetcher=StaticOnlyFetcher())


def render_pdf(template, context, stylesheet):
    html = render_to_string(template, context)
    base = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=StaticOnlyFetcher()).write_pdf(
        stylesheets=[_stylesheet(stylesheet)]
    )


def programme_context(event, version):
    items = list(version.items.all())
    speaker_ids = {speaker["id"] for item in items for speaker in item.speakers if speaker.get("id")}
    speakers = Speaker.objects.filter(pk__in=speaker_ids).exclude(bio="").order_by("name")
    start = event.starts_at.astimezone(event.tz)
    return {
        "event": event,
        "version": version,
        "days": group_by_day(items, event.tz),
        "speakers": speakers,
        "zone": f"{event.venue.timezone} ({zone_label(start)})",
        "published": version.published_at.astimezone(event.tz),
    }


def render_programme(event, version):
    return render_pdf("pdf/programme.html", programme_context(event, version), "programme.css")


def programme_filename(event, version):
    return f"{event.slug}-programme-v{version.number}.pdf"


def ensure_stored(rows, pk, field, render, name):
    """Render and store the file of a row unless it already is, and return
    the row. The row is locked, so concurrent callers render it once between
    them: ``render(row)`` gives the bytes, ``name(row)`` the file's name. The
    programme of an agenda version and the printed lists
    (events/rendered_lists.py) are all made this way."""
    with transaction.atomic():
        row = rows.select_for_update().get(pk=pk)
        stored = getattr(row, field)
        if stored:
            return row
        stored.save(name(row), ContentFile(render(row)), save=False)
        row.save(update_fields=[field])
    return row


def claim_render(rows, pk, field, queued_field):
    """True when the caller should queue a render of the row's file (it is not
    stored and nobody queued one recently)."""
    with transaction.atomic():
        row = rows.select_for_update().get(pk=pk)
        now = timezone.now()
        queued_at = getattr(row, queued_field)
        if getattr(row, field) or (queued_at and now - queued_at < REQUEUE_AFTER):
            return False
        setattr(row, queued_field, now)
        row.save(update_fields=[queued_field])
        return True


def ensure_programme(version_id):
    """Render and store the programme of a version unless it already is."""
    return ensure_stored(
        AgendaVersion.objects.select_related("event__venue"),
        version_id,
        "programme",
        lambda version: render_programme(version.event, version),
        lambda version: f"{version.event.uid}/{programme_filename(version.event, version)}",
    )


def claim_background_render(version_id):
    """True when the caller should queue a render (nobody queued one recently)."""
    return claim_render(AgendaVersion.objects.all(), version_id, "programme", "programme_queued_at")
