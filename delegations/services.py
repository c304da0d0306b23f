"""Making the List of Participants final, and printing the frozen list.
Nominations of delegations by economies live in delegations/nominations.py."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from events import services as event_services
from events.models import Event, MeetingDocument
from ops.dispatch import after_commit

from . import participant_list
from .models import FinalParticipantList

TITLE = "List of Participants"
# A frozen list still unprinted this long after its hand-off was lost by the
# broker (or the worker died): the next look at it hands it over again.
HAND_OFF_AGAIN_AFTER = timedelta(minutes=5)


class ListAlreadyFinal(Exception):
    pass


def finalise(event, *, actor):
    """Freeze the list as it stands now and have the worker print it (PDF,
    numbered as a meeting document, and Word). Once only: a second call is
    refused, whatever the race, by the lock on the event and the one-to-one
    row."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        existing = FinalParticipantList.objects.filter(event=event).select_related("document").first()
        if existing is not None:
            number = existing.document.number if existing.document else "being printed"
            raise ListAlreadyFinal(f"The List of Participants is already final ({number}); it cannot change.")
        listed = participant_list.sections(event)
        final = FinalParticipantList.objects.create(
            event=event,
            content=listed,
            finalised_at=timezone.now(),
            finalised_by=actor if actor is not None and actor.is_authenticated else None,
            handed_off_at=timezone.now(),
        )
        audit.record(
            actor, "participant_list.finalised", event=event, obj=final,
            after={"participants": participant_list.head_count(listed)},
        )  # fmt: skip
        _hand_off(final.pk)
    return final


def _hand_off(final_pk):
    from .tasks import print_final_list

    after_commit(print_final_list, final_pk)


def hand_off_again_if_stalled(final, now=None):
    now = now or timezone.now()
    if final.printed or final.handed_off_at is None or final.handed_off_at >= now - HAND_OFF_AGAIN_AFTER:
        return False
    # Claimed by the update, so two readers at once hand it over once.
    claimed = FinalParticipantList.objects.filter(pk=final.pk, handed_off_at=final.handed_off_at).update(
        handed_off_at=now
    )
    if claimed:
        _hand_off(final.pk)
    return bool(claimed)


def print_final(final_pk):
    """The worker's side: print the frozen content. Under a lock on the row,
    so a redelivered task finds the work done and numbers nothing twice."""
    try:
        return _print_final(final_pk)
    except Exception as error:  # shown to the organiser, who can hand it over again
        FinalParticipantList.objects.filter(pk=final_pk).update(error=str(error)[:300])
        raise


def _print_final(final_pk):
    with transaction.atomic():
        final = (
            FinalParticipantList.objects.select_for_update(of=("self",)).select_related("event__venue").get(pk=final_pk)
        )
        if final.printed:
            return final
        event = final.event
        dated = timezone.localdate(final.finalised_at, timezone=event.tz)
        if final.document_id is None:
            final.document = event_services.add_document(
                event,
                TITLE,
                lambda number: ContentFile(
                    participant_list.render_list_pdf(event, final.content, number=number, dated=dated),
                    name=f"{event.slug}-list-of-participants.pdf",
                ),
                "application/pdf",
                MeetingDocument.Access.REGISTERED,
                actor=final.finalised_by,
            )
        docx = participant_list.render_list_docx(event, final.content, number=final.document.number, dated=dated)
        final.docx.save(f"{event.slug}-list-of-participants.docx", ContentFile(docx), save=False)
        final.error = ""
        final.save(update_fields=["document", "docx", "error"])
    return final
