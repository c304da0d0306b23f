"""Generated requests for every URL of the site: odd values in the path, the
query string and the form body, sent as several roles. Every answer must be
below 500: bad input is a form error or a 4xx, never a crash."""

import os
import re
import uuid
from urllib.parse import quote_from_bytes

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import FUZZ_TOTALS
from .world import url_of, user_for

FUZZ_ROLES = ("anonymous", "participant", "organiser")

# Values that have broken form handling somewhere before: NUL, numbers no
# column holds, dates no zone conversion reaches, and impossible dates.
AWKWARD = [
    "",
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "-99999999999999999999999",
    "1e309",
    "NaN",
    "-inf",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2031-02-30T10:00",
    "2031-13-01",
    "24:61",
    "on",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "line\r\nBcc: x@example.org",
    "\u2028\u0085\x0b",
    "x" * 5000,
]

UPLOAD_NAMES = ["minutes.pdf", "minutes.docx", "slides.pptx", "x.xlsx", "noextension", "a.exe", "..pdf", "\x00.pdf"]

text_values = st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(str.encode)
values = st.one_of(
    st.sampled_from(AWKWARD).map(str.encode),
    text_values,
    st.binary(max_size=12),  # often not UTF-8 at all
    st.integers().map(lambda n: str(n).encode()),
    st.floats().map(lambda n: str(n).encode()),
)
# Each field missing, given once, or given several times.
occurrences = st.lists(values, max_size=3)


def path_values(real):
    """A path segment that replaces one the world fills in."""
    return st.one_of(
        st.just(real),
        st.integers(min_value=0).map(str),
        st.uuids().map(str),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/"), min_size=1, max_size=30),
        st.sampled_from(["0", "9" * 30, "\x00", "..", "%", "favicon.ico", str(uuid.UUID(int=0))]),
    )


def encode(fields):
    return "&".join(
        f"{quote_from_bytes(name.encode())}={quote_from_bytes(value)}"
        for name, given_values in fields.items()
        for value in given_values
    )


def form_field_names(html):
    names = set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken", "viewport"}
    return sorted(names)


def fuzz_route(client, world, route, role):
    """Runs the generated requests for one route and role; returns nothing,
    fails on the first answer of 500 or more (Hypothesis then shrinks it)."""
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    base_kwargs = route.kwargs(world) if route.kwargs else {}
    seen = client.get(url_of(route, world)) if route.get else None
    html = seen.content.decode(errors="replace") if seen is not None and not seen.streaming else ""
    post_fields = sorted(route.post(world)) if route.post else []
    names = sorted({*route.fields, *post_fields, *form_field_names(html), "page", "next"})
    examples = int(os.environ.get("FUZZ_EXAMPLES", "10"))

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=list(HealthCheck),
    )
    @given(
        path=st.fixed_dictionaries({key: path_values(str(value)) for key, value in base_kwargs.items()}),
        query=st.dictionaries(st.sampled_from(names), occurrences, max_size=4),
        body=st.dictionaries(st.sampled_from(names) | st.text(max_size=8), occurrences, max_size=8),
        upload=st.none() | st.tuples(st.sampled_from(UPLOAD_NAMES), st.binary(max_size=64)),
    )
    def requests_are_answered_below_500(path, query, body, upload):
        url = url_of(route, world)
        for key, value in path.items():
            url = url.replace(str(base_kwargs[key]), quote_from_bytes(value.encode(), safe=""), 1)
        ask(client.get, f"{url}?{encode(query)}")
        if upload is None:
            ask(client.post, url, encode(body), content_type="application/x-www-form-urlencoded")
        else:
            name, content = upload
            files = {"file": SimpleUploadedFile(name, content)}
            flat = {key: [v.decode(errors="replace") for v in given] for key, given in body.items()}
            ask(client.post, url, {**flat, **files})

    requests_are_answered_below_500()


def ask(method, *args, **kwargs):
    FUZZ_TOTALS["requests"] += 1
    try:
        response = method(*args, **kwargs)
    except Exception:
        FUZZ_TOTALS["server_errors"] += 1
        raise
    if response.status_code >= 500:
        FUZZ_TOTALS["server_errors"] += 1
    assert response.status_code < 500, (args[0], response.status_code)
