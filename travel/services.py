"""Funded travellers: which economies APEC funds, the places of an event, the
travellers' entitlements and their claims. Every write is one transaction,
takes the acting user and appends to the audit log; every mail to a traveller
is a delivery row written in that transaction (travel/mail.py)."""

import hashlib
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

import audit
from events.models import Event
from registrations import services as registration_services
from registrations.models import Funding, Registration

from . import mail, queries
from .models import CATEGORIES, MEMBER_ECONOMIES, ClaimDocument, FundedTraveller, TravelEligibility, TravelPlaces


class TravelRefused(Exception):
    """A change the rules do not allow; the message says why, for the person who asked."""


# ---- which economies APEC funds ------------------------------------------------


@transaction.atomic
def set_eligibility(eligible_codes, *, actor):
    """Make exactly ``eligible_codes`` travel-eligible; each economy whose
    status changes is logged. Returns the economies changed."""
    eligible_codes = set(eligible_codes)
    now = timezone.now()
    # A row per member economy, whatever the table held (an emptied database).
    TravelEligibility.objects.bulk_create(
        [TravelEligibility(economy=code) for code, _ in MEMBER_ECONOMIES], ignore_conflicts=True
    )
    changed = []
    for row in TravelEligibility.objects.select_for_update().order_by("economy"):
        wanted = row.economy in eligible_codes
        if row.eligible == wanted:
            continue
        row.eligible, row.changed_by, row.changed_at = wanted, actor, now
        row.save(update_fields=["eligible", "changed_by", "changed_at"])
        audit.record(
            actor, "travel.eligibility_changed", event=None, obj=row, label=row.get_economy_display(),
            before={"eligible": not wanted}, after={"eligible": wanted},
        )  # fmt: skip
        changed.append(row)
    return changed


# ---- an event's settings --------------------------------------------------------


@transaction.atomic
def save_settings(event, *, places_per_economy, claim_due_days, actor):
    settings_row = queries.settings_of(event)
    before = {"places_per_economy": settings_row.places_per_economy, "claim_due_days": settings_row.claim_due_days}
    after = {"places_per_economy": places_per_economy, "claim_due_days": claim_due_days}
    if before == after and settings_row.pk:
        return settings_row
    settings_row.places_per_economy, settings_row.claim_due_days = places_per_economy, claim_due_days
    settings_row.save()
    audit.record(actor, "travel.settings_changed", event=event, obj=settings_row, before=before, after=after)
    return settings_row


@transaction.atomic
def set_economy_places(event, economy, places, *, actor):
    """Give ``economy`` its own number of places at ``event`` (None: back to
    the event's places per economy); never fewer than it has funded."""
    Event.objects.select_for_update().get(pk=event.pk)
    label = dict(MEMBER_ECONOMIES).get(economy)
    if label is None:
        raise TravelRefused("Choose a member economy.")
    used = FundedTraveller.objects.filter(registration__event=event, economy=economy).count()
    if places is not None and places < used:
        raise TravelRefused(
            f"{label} already has {used} funded traveller{'s' if used != 1 else ''}: keep at least {used}."
        )
    row = TravelPlaces.objects.filter(event=event, economy=economy).first()
    before = {"places": row.places if row else None}
    if places is None:
        if row:
            row.delete()
    else:
        TravelPlaces.objects.update_or_create(event=event, economy=economy, defaults={"places": places})
    if before["places"] != places:
        audit.record(
            actor, "travel.places_changed", event=event, obj=event, label=label,
            before=before, after={"places": places},
        )  # fmt: skip


# ---- funding a traveller ------------------------------------------------------------


def default_per_diem_days(event):
    """The days of the event at the venue, plus one for travel."""
    start, end = event.starts_at.astimezone(event.tz).date(), event.ends_at.astimezone(event.tz).date()
    return (end - start).days + 2


def claim_due_on(event, settings_row):
    return event.ends_at.astimezone(event.tz).date() + timedelta(days=settings_row.claim_due_days)


def fund(registration, category, *, actor, airfare_class=FundedTraveller.AirfareClass.ECONOMY, per_diem_days=None):
    """Fund one seated participant of a travel-eligible economy under
    ``category``, within the event's places for that economy. The places are
    counted under a lock on the event, so two organisers funding at once
    never exceed them."""
    if category not in dict(CATEGORIES):
        raise TravelRefused("Choose the category: APEC-funded participant, speaker or expert.")
    if per_diem_days is not None and not 0 <= per_diem_days <= 60:
        raise TravelRefused("Per-diem days must be between 0 and 60.")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_related("user").get(pk=registration.pk)
        name = registration.user.display_name
        if not registration.holds_seat:
            raise TravelRefused(
                f"{name} holds no seat ({registration.get_status_display().lower()}): only seated participants can be funded."
            )
        if FundedTraveller.objects.filter(registration=registration).exists():
            raise TravelRefused(f"{name} is already funded.")
        economy = registration.economy
        if not TravelEligibility.objects.filter(economy=economy, eligible=True).exists():
            label = registration.get_economy_display() or "no economy given"
            raise TravelRefused(f"{name}'s economy ({label}) is not travel-eligible.")
        settings_row = queries.settings_of(event)
        places = queries.places_of(event, economy, settings_row)
        used = FundedTraveller.objects.filter(registration__event=event, economy=economy).count()
        if used >= places:
            raise TravelRefused(
                f"{registration.get_economy_display()} has used its {places} funded "
                f"place{'s' if places != 1 else ''} for this event."
            )
        registration_services.set_funding(registration, category, actor=actor, reason="Travel funded")
        traveller = FundedTraveller.objects.create(
            registration=registration, economy=economy, category=category, airfare_class=airfare_class,
            per_diem_days=default_per_diem_days(event) if per_diem_days is None else per_diem_days,
            claim_due_on=claim_due_on(event, settings_row), funded_by=actor, funded_at=timezone.now(),
        )  # fmt: skip
        audit.record(
            actor, "travel.funded", event=event, obj=registration,
            after={
                "category": category, "airfare_class": traveller.airfare_class,
                "per_diem_days": traveller.per_diem_days, "claim_due_on": traveller.claim_due_on,
            },
        )  # fmt: skip
        mail.queue(registration, "funded", traveller=traveller.pk)
    return traveller


def unfund(traveller, *, actor, reason):
    """Withdraw the funding: the place is free again, the registration is
    self-funded, the claim and its documents are gone (the log keeps what
    was decided, and the traveller is told why)."""
    reason = (reason or "").strip()
    if not reason:
        raise TravelRefused("Give the reason: the traveller is told.")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=traveller.registration.event_id)
        traveller = FundedTraveller.objects.select_related("registration").filter(pk=traveller.pk).first()
        if traveller is None:
            raise TravelRefused("This funding has already been withdrawn.")
        if traveller.claim_state == FundedTraveller.Claim.ACCEPTED:
            raise TravelRefused("The claim is accepted: the funding can no longer be withdrawn.")
        registration = traveller.registration
        names = list(traveller.documents.values_list("file", flat=True))
        registration_services.set_funding(registration, Funding.SELF_FUNDED, actor=actor, reason=reason)
        audit.record(
            actor, "travel.unfunded", event=event, obj=registration, reason=reason,
            before={"category": traveller.category, "claim_state": traveller.claim_state, "documents": len(names)},
        )  # fmt: skip
        traveller.delete()
        mail.queue(registration, "unfunded", reason=reason)
        transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names):
    # After commit: a rolled-back withdrawal must leave the files in place.
    for name in names:
        default_storage.delete(name)


# ---- the traveller's claim ------------------------------------------------------------


def _locked(traveller):
    locked = FundedTraveller.objects.select_for_update().select_related("registration__event").filter(pk=traveller.pk)
    if (found := locked.first()) is None:
        # Withdrawn by an organiser while the page was open.
        raise TravelRefused("This travel funding has been withdrawn.")
    return found


def _sha256(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_document(traveller, kind, upload, content_type, name, *, actor):
    """Store one checked claim document (travel/uploads.py checked the bytes
    and made ``name``); only while the claim is open."""
    traveller = _locked(traveller)
    if not traveller.is_open:
        raise TravelRefused(
            f"Your claim is {traveller.get_claim_state_display().lower()}: documents can no longer be added."
        )
    document = ClaimDocument(
        traveller=traveller, kind=kind, original_name=name, content_type=content_type,
        size=upload.size, sha256=_sha256(upload), uploaded_by=actor,
    )  # fmt: skip
    document.file.save(name, upload, save=False)
    document.save()
    audit.record(
        actor, "travel.document_added", event=traveller.registration.event, obj=traveller.registration,
        after={"kind": kind, "file": name, "size": upload.size},
    )  # fmt: skip
    return document


@transaction.atomic
def remove_document(document, *, actor):
    traveller = _locked(document.traveller)
    if not traveller.is_open:
        raise TravelRefused(f"Your claim is {traveller.get_claim_state_display().lower()}: its documents stay as sent.")
    audit.record(
        actor, "travel.document_removed", event=traveller.registration.event, obj=traveller.registration,
        before={"kind": document.kind, "file": document.original_name},
    )  # fmt: skip
    name = document.file.name
    document.delete()
    transaction.on_commit(lambda: _delete_files([name]))


# What a claim needs before it can be sent: the ticket and proof of travel.
REQUIRED = (ClaimDocument.Kind.E_TICKET, ClaimDocument.Kind.BOARDING_PASS)


@transaction.atomic
def submit_claim(traveller, *, actor):
    traveller = _locked(traveller)
    if not traveller.is_open:
        raise TravelRefused(f"Your claim is already {traveller.get_claim_state_display().lower()}.")
    have = set(traveller.documents.values_list("kind", flat=True))
    missing = [ClaimDocument.Kind(kind).label.lower() for kind in REQUIRED if kind not in have]
    if missing:
        raise TravelRefused(f"Add your {' and at least one '.join(missing)} before you submit the claim.")
    return _move(traveller, FundedTraveller.Claim.SUBMITTED, actor, "travel.claim_submitted", "submitted")


@transaction.atomic
def accept_claim(traveller, *, actor):
    traveller = _locked(traveller)
    if traveller.claim_state != FundedTraveller.Claim.SUBMITTED:
        raise TravelRefused(
            f"Only a submitted claim can be accepted; this one is {traveller.get_claim_state_display().lower()}."
        )
    return _move(traveller, FundedTraveller.Claim.ACCEPTED, actor, "travel.claim_accepted", "accepted")


@transaction.atomic
def return_claim(traveller, *, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise TravelRefused("Say what the traveller must change: the reason is sent to them.")
    traveller = _locked(traveller)
    if traveller.claim_state != FundedTraveller.Claim.SUBMITTED:
        raise TravelRefused(
            f"Only a submitted claim can be returned; this one is {traveller.get_claim_state_display().lower()}."
        )
    return _move(traveller, FundedTraveller.Claim.RETURNED, actor, "travel.claim_returned", "returned", reason)


def _move(traveller, state, actor, action, mail_kind, reason=""):
    before = {"claim_state": traveller.claim_state}
    now = timezone.now()
    traveller.claim_state, traveller.claim_reason = state, reason
    if state == FundedTraveller.Claim.SUBMITTED:
        traveller.submitted_at = now
    else:
        traveller.decided_at, traveller.decided_by = now, actor
    traveller.save(update_fields=["claim_state", "claim_reason", "submitted_at", "decided_at", "decided_by"])
    audit.record(
        actor, action, event=traveller.registration.event, obj=traveller.registration,
        before=before, after={"claim_state": state}, reason=reason,
    )  # fmt: skip
    mail.queue(traveller.registration, mail_kind, traveller=traveller.pk, reason=reason)
    return traveller
