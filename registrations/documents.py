"""Participant lists as PDF (WeasyPrint through events.documents)."""

from datetime import timedelta
from itertools import groupby

from django.http import HttpResponse
from django.utils import timezone

from events import rendered_lists
from events.documents import render_pdf
from ops.dispatch import after_commit

from .checkin import checkin_qr
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
    rows.sort(key=lambda r: (r.get_economy_display(), r.organisation.lower(), r.user.public_name.lower()))
    return [(economy, list(group)) for economy, group in groupby(rows, key=lambda r: r.get_economy_display())]


def render_participant_list(event, public, groups=None):
    groups = participant_rows(event, public) if groups is None else groups
    context = {
        "event": event,
        "groups": groups,
        "public": public,
        "count": sum(len(members) for _, members in groups),
    }
    return render_pdf("pdf/participants.html", context, "list.css")


def public_participants_snapshot(event):
    """The public list as printed: its key digests every field the PDF shows
    (names, titles, organisations, economies, participation), so a name
    changed, a seat confirmed or cancelled, or consent withdrawn gives a new one."""
    groups = participant_rows(event, public=True)
    shown = [
        [
            economy,
            [
                [
                    getattr(getattr(registration.user, "profile", None), "title", ""),
                    registration.user.public_name,
                    registration.organisation,
                    registration.get_participation_type_display(),
                ]
                for registration in members
            ],
        ]
        for economy, members in groups
    ]
    return rendered_lists.Snapshot(
        key=rendered_lists.digest(
            rendered_lists.layout_digest("pdf/participants.html", "list.css"), [event.title, shown]
        ),
        size=sum(len(members) for _, members in groups),
        render=lambda: render_participant_list(event, public=True, groups=groups),
    )


rendered_lists.register("participants-public", public_participants_snapshot)


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
        "badges": [(registration, checkin_qr(registration)) for registration in registrations],
    }


def render_badges(event):
    return render_pdf("pdf/badges.html", badge_context(event), "badges.css")


def render_certificate(registration, attendance=None):
    """``attendance``: the sessions attended (registrations.hooks.attendance_summary), listed when given."""
    event = registration.event
    start, end = event.starts_at.astimezone(event.tz), event.ends_at.astimezone(event.tz)
    return render_pdf(
        "pdf/certificate.html",
        {"registration": registration, "event": event, "start": start, "end": end, "attendance": attendance},
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


RENDERERS = {
    "participants": lambda event: render_participant_list(event, public=False),
    "badges": render_badges,
}


def badges(event, user):
    """The one "Name badges" action: ``(pdf, None)`` at once when few people
    hold a seat, else ``(None, job)``, a job the worker prepares while the
    organiser watches its progress page (the one already waiting or running
    for the same people, if any, so a second click queues nothing more). The
    size rule is the printed lists' (``rendered_lists.INLINE_RENDER_LIMIT``)."""
    from .models import GeneratedDocument

    count = Registration.objects.filter(event=event, status__in=Registration.SEATED).count()
    if count <= rendered_lists.INLINE_RENDER_LIMIT:
        return render_badges(event), None
    unfinished = GeneratedDocument.objects.filter(
        event=event,
        kind=GeneratedDocument.Kind.BADGES,
        items=count,
        status__in=[GeneratedDocument.Status.QUEUED, GeneratedDocument.Status.RUNNING],
    ).first()
    return None, unfinished or request_document(event, GeneratedDocument.Kind.BADGES, user)


def request_document(event, kind, user):
    """Queue a participant list or badge sheets for the worker."""
    from .models import GeneratedDocument
    from .tasks import generate_document

    count = Registration.objects.filter(event=event, status__in=Registration.SEATED).count()
    job = GeneratedDocument.objects.create(
        event=event, kind=kind, items=count, requested_by=user, handed_off_at=timezone.now()
    )
    after_commit(generate_document, job.pk)
    return job


# Longer than a large badge sheet waits in a busy queue (bench/documents.py:
# 500 badges take ~40 s), so a job is rarely handed over twice.
HAND_OFF_AGAIN_AFTER = timedelta(minutes=5)


def hand_off_stalled(now=None):
    """Hand over again the jobs still queued long after their hand-off: the
    broker was down when they were requested, or lost them. Run by beat."""
    from .models import GeneratedDocument
    from .tasks import generate_document

    now = now or timezone.now()
    stalled = GeneratedDocument.objects.filter(
        status=GeneratedDocument.Status.QUEUED, handed_off_at__lt=now - HAND_OFF_AGAIN_AFTER
    )
    for pk in stalled.values_list("pk", flat=True):
        # Claimed by the update, so two sweeps at once hand a job over once.
        if GeneratedDocument.objects.filter(pk=pk, handed_off_at__lt=now - HAND_OFF_AGAIN_AFTER).update(
            handed_off_at=now
        ):
            after_commit(generate_document, pk)


def generate(job_id):
    from django.core.files.base import ContentFile

    from .models import GeneratedDocument

    job = GeneratedDocument.objects.select_related("event__venue").get(pk=job_id)
    if job.status == GeneratedDocument.Status.DONE:
        return job  # a redelivered task finds the work done
    GeneratedDocument.objects.filter(pk=job.pk).update(status=GeneratedDocument.Status.RUNNING)
    try:
        pdf = RENDERERS[job.kind](job.event)
    except Exception as error:  # shown to the organiser; the task itself does not retry a broken document
        GeneratedDocument.objects.filter(pk=job.pk).update(
            status=GeneratedDocument.Status.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        raise
    job.file.save(f"{job.event.slug}-{job.kind}-{job.pk}.pdf", ContentFile(pdf), save=False)
    job.status = GeneratedDocument.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "finished_at"])
    return job
