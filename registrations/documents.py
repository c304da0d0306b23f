"""Participant lists as PDF (WeasyPrint through events.documents)."""

from itertools import groupby

from django.http import HttpResponse

from events.documents import render_pdf

from .checkin import checkin_url, qr_data_uri
from .models import Registration


def participant_rows(event, public):
    registrations = (
        Registration.objects.filter(event=event, status__in=Registration.SEATED)
        .select_related("user__profile")
        .order_by("economy", "organisation", "user__profile__full_name")
    )
    if public:
        registrations = registrations.filter(share_in_public_list=True)
    rows = list(registrations)
    rows.sort(key=lambda r: (r.get_economy_display(), r.organisation.lower(), r.user.display_name.lower()))
    return [(economy, list(group)) for economy, group in groupby(rows, key=lambda r: r.get_economy_display())]


def render_participant_list(event, public):
    groups = participant_rows(event, public)
    context = {
        "event": event,
        "groups": groups,
        "public": public,
        "count": sum(len(members) for _, members in groups),
    }
    return render_pdf("pdf/participants.html", context, "list.css")


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def badge_context(event):
    registrations = (
        Registration.objects.filter(event=event, status__in=Registration.SEATED)
        .select_related("user__profile")
        .order_by("user__profile__full_name")
    )
    return {
        "event": event,
        "badges": [(registration, qr_data_uri(checkin_url(registration))) for registration in registrations],
    }


def render_badges(event):
    return render_pdf("pdf/badges.html", badge_context(event), "badges.css")


def render_certificate(registration):
    event = registration.event
    start, end = event.starts_at.astimezone(event.tz), event.ends_at.astimezone(event.tz)
    return render_pdf(
        "pdf/certificate.html",
        {"registration": registration, "event": event, "start": start, "end": end},
        "certificate.css",
    )


def render_letter(letter):
    registration = letter.registration
    event = registration.event
    start, end = event.starts_at.astimezone(event.tz), event.ends_at.astimezone(event.tz)
    return render_pdf(
        "pdf/letter.html",
        {
            "letter": letter,
            "registration": registration,
            "event": event,
            "start": start,
            "end": end,
            "letterhead": [line for line in event.letterhead.splitlines() if line.strip()],
            "issued": letter.issued_at.astimezone(event.tz),
        },
        "letter.css",
    )
