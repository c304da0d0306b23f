"""Serving a stored programme PDF, from the view and from the middleware that
answers anonymous readers before the rest of the stack."""

import re

from django.conf import settings
from django.db import connection

from .models import AgendaVersion, Event
from .stored_files import file_response

# The path of events:agenda_pdf; a test keeps the two in step.
PROGRAMME_PATH = re.compile(r"/events/(?P<slug>[-a-zA-Z0-9_]+)/agenda\.pdf")


def public_programme_row(slug):
    """(version id, stored file name, version number) of a public event.

    One plain statement on purpose: a cached programme should cost little more
    than a static file, and building this query through the ORM took longer
    than running it (bench/documents.py)."""
    events = connection.ops.quote_name(Event._meta.db_table)
    versions = connection.ops.quote_name(AgendaVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.current_version_id, v.programme, v.number FROM {events} e "  # noqa: S608 - names from the models
            f"LEFT JOIN {versions} v ON v.id = e.current_version_id WHERE e.slug = %s AND e.status IN (%s, %s)",
            [slug, Event.Status.PUBLISHED, Event.Status.CANCELLED],
        )
        return cursor.fetchone()


def programme_response(slug, stored, number):
    return file_response(stored, content_type="application/pdf", filename=f"{slug}-programme-v{number}.pdf")


class PublicProgrammeMiddleware:
    """A rendered programme of a public event is the same file for every
    anonymous reader, like a static file: it is answered here, as WhiteNoise
    answers static files, without sessions, CSRF, authentication, messages or
    URL resolving, which cost more than sending the file (bench/documents.py).
    Signed-in readers (organisers may see more) and programmes not rendered
    yet go on to the view."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and self.session_cookie not in request.COOKIES:
            match = PROGRAMME_PATH.fullmatch(request.path_info)
            # get_host() refuses hosts outside ALLOWED_HOSTS, as CommonMiddleware
            # would further on.
            if match and request.get_host():
                row = public_programme_row(match["slug"])
                if row is not None and row[1]:
                    response = programme_response(match["slug"], row[1], row[2])
                    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
                    return response
        return self.get_response(request)
