"""Content-Security-Policy and Permissions-Policy on every response: pages,
downloads, and the responses middleware answers early (static files, the
public programme PDF)."""

import pytest
from django.conf import settings
from django.urls import reverse

from events import services

from ..factories import add_item

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
DENIED_FEATURES = ["geolocation", "microphone", "payment", "usb", "browsing-topics", "interest-cohort"]


def directives(header):
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice in {header!r}"
        parsed[name] = sources
    return parsed


def features(header):
    parsed = {}
    for part in header.split(","):
        name, allowlist = part.strip().split("=", 1)
        parsed[name] = allowlist
    return parsed


def assert_policies(response):
    assert directives(response["Content-Security-Policy"]) == POLICY
    allowed = features(response["Permissions-Policy"])
    assert allowed["camera"] == "(self)"  # the check-in desk's QR scanner
    for feature in DENIED_FEATURES:
        assert allowed[feature] == "()", feature
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.fixture
def published(event, organiser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    add_item(event, "Opening", event.starts_at.replace(tzinfo=None), kind="opening")
    services.publish_agenda(event, actor=organiser, note="Provisional")
    event.refresh_from_db()
    return event


def test_an_html_page_carries_both_policies(client, published):
    response = client.get(reverse("events:agenda", args=[published.slug]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert_policies(response)


def test_not_found_and_sign_in_pages_carry_both_policies(client, db):
    assert_policies(client.get("/no-such-page/"))
    assert_policies(client.get(reverse("account_login")))


def test_downloads_carry_both_policies(client, published):
    ics = client.get(reverse("events:event_ics", args=[published.slug]))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert_policies(ics)
    # An anonymous reader's programme is answered by PublicProgrammeMiddleware,
    # before sessions and URL resolving: the policies are set outside it.
    pdf = client.get(reverse("events:agenda_pdf", args=[published.slug]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_policies(pdf)


def test_policy_middleware_wraps_everything_that_answers_early():
    middleware = settings.MIDDLEWARE
    for policy in ("csp.middleware.CSPMiddleware", "django_permissions_policy.PermissionsPolicyMiddleware"):
        for early in ("whitenoise.middleware.WhiteNoiseMiddleware", "events.programme_files.PublicProgrammeMiddleware"):
            assert middleware.index(policy) < middleware.index(early), (policy, early)
