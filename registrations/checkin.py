"""Check-in codes: a QR code that opens the organiser's check-in page for one
registration. Any phone camera can read it; the page itself needs an
organiser's login, so the code alone grants nothing."""

import io

import segno
from django.conf import settings
from django.urls import reverse


def checkin_url(registration):
    path = reverse("desk:checkin_code", args=[registration.event.slug, registration.checkin_code])
    return f"{settings.SITE_URL}{path}"


def qr_png(data, scale=6):
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(data, scale=5):
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def qr_data_uri(data):
    """An SVG QR code as a data: URI, which WeasyPrint's restricted fetcher allows."""
    return segno.make(data, error="m").svg_data_uri(scale=4, border=1)


def checkin_qr(registration):
    """The registration's QR code, made and kept the first time it is needed."""
    if not registration.checkin_qr:
        registration.checkin_qr = qr_data_uri(checkin_url(registration))
        type(registration).objects.filter(pk=registration.pk).update(checkin_qr=registration.checkin_qr)
    return registration.checkin_qr
