"""Delegations nominated by economies: focal points named by the Secretariat,
nominations within a quota, the Head of Delegation, the nomination letter,
and the Secretariat's decisions. Each write is one transaction, takes the
acting user and is in the audit log; every mail goes through the delivery
ledger (registrations/), or, for a focal point, who has no registration,
through a row marked when mailed (``FocalPoint.mailed_at``)."""

import contextvars
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit import log as audit
from events.economies import Economy
from events.models import Event
from events.participation import ParticipationType
from events.uploads import inspect_upload
from ops.dispatch import after_commit
from registrations import services as registration_services
from registrations.models import Delivery, ParticipantProfile, Registration

from . import queries
from .models import DelegationSettings, EconomyQuota, FocalPoint, Nomination, NominationLetter

State = Nomination.State
HEAD = ParticipationType.HEAD_OF_DELEGATION
NOMINATION_ONLY_MESSAGE = (
    "Delegates to this meeting are nominated by their economy's focal point; ask yours, "
    "or choose another participation type."
)
WITHDRAWN_REASON = "Withdrawn by your economy's focal point."


class NominationRefused(ValidationError):
    pass


# Set while a focal point's nomination registers its delegate, so the
# self-registration refusal below lets it through (a focal point may
# nominate themself).
_nominating = contextvars.ContextVar("nominating", default=False)


def self_registration_refusal(event, user, actor, participation_type):
    """Registered in registrations.services.REFUSALS: the person themself may
    not register as a type the event takes by nomination only. Organisers and
    the system (another actor) may."""
    if _nominating.get() or actor is None or getattr(actor, "pk", None) != user.pk:
        return None
    if participation_type in queries.settings_for(event).nomination_only:
        return NOMINATION_ONLY_MESSAGE
    return None


def _member_economy(economy):
    if economy not in Economy.values or economy == Economy.OTHER:
        raise NominationRefused("Choose one of the member economies.")
    return Economy(economy)


def _account(email, full_name, economy):
    """The account of ``email``, made (without a password: the first mail
    carries a link to choose one) when there is none. Returns (user, new)."""
    email = get_user_model().objects.normalize_email(email).lower()
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = get_user_model().objects.create_user(email)
    ParticipantProfile.objects.create(user=user, full_name=full_name, economy=economy)
    return user, True


def _locked_event(event):
    return Event.objects.select_for_update().get(pk=event.pk)


# The Secretariat's side: focal points, settings and quotas.


def appoint_focal_point(event, email, economy, *, actor, full_name="", whole_cluster=False):
    """Name the person of ``email`` focal point of ``economy`` for ``event``
    (or, ``whole_cluster``, for every event of its meeting cluster); an
    account is made when there is none. They are told by mail."""
    economy = _member_economy(economy)
    if whole_cluster and event.cluster_id is None:
        raise NominationRefused("This event is in no meeting cluster; name the focal point for the event.")
    try:
        with transaction.atomic():
            user, new = _account(email, full_name or email.split("@")[0], economy)
            scope = {"cluster_id": event.cluster_id} if whole_cluster else {"event": event}
            if FocalPoint.objects.filter(user=user, economy=economy, **scope).exists():
                raise NominationRefused(f"{user.email} is already a focal point of {economy.label} here.")
            point = FocalPoint.objects.create(user=user, economy=economy, appointed_by=actor, **scope)
            audit.record(
                actor, "delegation.focal_point_named", event=event, obj=point,
                after={"economy": economy.label, "person": user.email, "scope": "cluster" if whole_cluster else "event",
                       "new_account": new},
            )  # fmt: skip
    except IntegrityError as error:
        raise NominationRefused("This person was named focal point at the same moment; reload the page.") from error
    from .tasks import send_focal_point_mail

    after_commit(send_focal_point_mail, point.pk)
    return point


@transaction.atomic
def remove_focal_point(point, *, event, actor):
    audit.record(
        actor, "delegation.focal_point_removed", event=event, obj=point,
        before={"economy": point.get_economy_display(), "person": point.user.email},
    )  # fmt: skip
    point.delete()


@transaction.atomic
def save_settings(event, *, nomination_only, default_quota, actor):
    unknown = set(nomination_only) - set(ParticipationType.values)
    if unknown:
        raise NominationRefused(f"Unknown participation types: {', '.join(sorted(unknown))}.")
    current = queries.settings_for(event)
    before = {"nomination_only": sorted(current.nomination_only), "default_quota": current.default_quota}
    saved, _ = DelegationSettings.objects.update_or_create(
        event=event, defaults={"nomination_only": sorted(nomination_only), "default_quota": default_quota}
    )
    audit.record(
        actor, "delegation.settings_changed", event=event, obj=saved, before=before,
        after={"nomination_only": saved.nomination_only, "default_quota": saved.default_quota},
    )  # fmt: skip
    return saved


@transaction.atomic
def set_quota(event, economy, quota, *, actor):
    """An economy's own quota (None: back to the event's default). Lowering it
    below the nominations it has takes none away; it stops new ones."""
    economy = _member_economy(economy)
    _locked_event(event)
    before = {"quota": queries.quota_for(event, economy)}
    if quota is None:
        EconomyQuota.objects.filter(event=event, economy=economy).delete()
    else:
        EconomyQuota.objects.update_or_create(event=event, economy=economy, defaults={"quota": quota})
    audit.record(
        actor, "delegation.quota_changed", event=event, before=before,
        after={"quota": queries.quota_for(event, economy)}, reason=economy.label,
    )  # fmt: skip


# The focal point's side: nominations, the head, the letter.


def _notice(registration, step, **payload):
    """A nomination mail, written in the caller's transaction as a delivery
    row and sent after commit (delegations/mail.py builds it)."""
    from registrations.tasks import send_now

    delivery = Delivery.objects.create(
        registration=registration,
        kind=Delivery.Kind.NOMINATION,
        key=f"{step}-{uuid.uuid4().hex[:16]}",
        due_at=timezone.now(),
        payload={"step": step, **payload},
    )
    after_commit(send_now, [delivery.pk])


def _log(actor, action, nomination, before=None, reason="", **after):
    audit.record(
        actor, action, event=nomination.event_id, obj=nomination, before=before or {},
        after=after or {"state": nomination.state}, reason=reason,
        label=f"{nomination.registration.user.display_name} ({nomination.get_economy_display()})",
    )  # fmt: skip


def _move_head_title(event, economy, registration, actor):
    """Make ``registration`` the economy's only Head of Delegation: whoever
    held the title before is a delegate again (logged)."""
    former = list(
        Registration.objects.filter(event=event, economy=economy, participation_type=HEAD, nomination__isnull=False)
        .exclude(pk=registration.pk)
        .select_related("user")
    )
    if former:
        Registration.objects.filter(pk__in=[other.pk for other in former]).update(
            participation_type=ParticipationType.DELEGATE, updated_at=timezone.now()
        )
    if registration.participation_type != HEAD:
        registration.participation_type = HEAD
        registration.save(update_fields=["participation_type", "updated_at"])
    return [other.user.email for other in former]


def nominate(event, economy, *, email, full_name, participation_type, actor):
    """A focal point nominates a delegate of their economy: the account is made
    or linked by e-mail, a pending registration is made through
    registrations.services.register (so the ledger and the audit log see it),
    and the person is told who nominated them. The quota is counted under
    the event's row lock, so concurrent nominations cannot exceed it."""
    economy = _member_economy(economy)
    if participation_type not in queries.NOMINATED_TYPES:
        raise NominationRefused("Nominate a delegate or the Head of Delegation.")
    email = (email or "").strip()
    token = _nominating.set(True)
    try:
        with transaction.atomic():
            event = _locked_event(event)
            settings = queries.settings_for(event)
            quota = queries.quota_for(event, economy, settings)
            used = queries.active_nominations(event, economy).count()
            if used >= quota:
                raise NominationRefused(
                    f"{economy.label} has nominated {used} of its {quota} delegates to this meeting; "
                    "withdraw a nomination first, or ask the Secretariat for a larger quota.",
                    code="quota",
                )
            user, new = _account(email, full_name, economy)
            existing = Registration.objects.filter(event=event, user=user, status__in=Registration.ACTIVE).first()
            if existing is not None:
                raise NominationRefused(
                    f"{email} is already registered for this meeting "
                    f"({existing.get_status_display().lower()}, {existing.get_participation_type_display().lower()}).",
                    code="duplicate",
                )
            registration = registration_services.register(
                event, user, actor=actor, notify=False, participation_type=participation_type, economy=economy,
                privacy_consent=False,
            )  # fmt: skip
            if registration.status != Registration.Status.PENDING:
                # Nominations wait for the Secretariat whatever the event's own approval rules.
                registration.status = Registration.Status.PENDING
                registration.save(update_fields=["status", "updated_at"])
            now = timezone.now()
            nomination, _ = Nomination.objects.update_or_create(
                registration=registration,
                defaults={
                    "event": event, "economy": economy, "nominated_by": actor, "nominated_at": now,
                    "state": State.NOMINATED, "reason": "", "changed_at": now,
                },
            )  # fmt: skip
            former_heads = []
            if participation_type == HEAD:
                former_heads = _move_head_title(event, economy, registration, actor)
            _log(
                actor, "delegation.nominated", nomination, state=State.NOMINATED,
                participation_type=participation_type, quota=f"{used + 1} of {quota}",
                **({"head_title_moved_from": former_heads} if former_heads else {}),
            )  # fmt: skip
            _notice(registration, "nominated", by=actor.display_name if actor else "", new_account=new)
    except registration_services.RegistrationRefused as refusal:
        raise NominationRefused(refusal.messages) from None
    except IntegrityError as error:
        # The same person's account made by another nomination at the same moment.
        raise NominationRefused(f"{email} was being nominated at the same moment; reload the page.") from error
    finally:
        _nominating.reset(token)
    return nomination


def _locked_nomination(nomination):
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("registration__user__profile", "event")
        .get(pk=nomination.pk)
    )


@transaction.atomic
def withdraw(nomination, *, actor):
    """The focal point takes back a nomination the Secretariat has not acted
    on yet; the registration is cancelled and the person told."""
    _locked_event(nomination.event)
    nomination = _locked_nomination(nomination)
    if nomination.state != State.NOMINATED:
        raise NominationRefused(
            f"Only a nomination not yet acted on can be withdrawn; this one is {nomination.get_state_display().lower()}."
        )
    if nomination.registration.is_active:
        registration_services.cancel(nomination.registration, actor=actor, reason=WITHDRAWN_REASON)
    nomination.state, nomination.reason, nomination.changed_at = State.WITHDRAWN, WITHDRAWN_REASON, timezone.now()
    nomination.save(update_fields=["state", "reason", "changed_at"])
    _log(actor, "delegation.withdrawn", nomination, {"state": State.NOMINATED}, reason=WITHDRAWN_REASON)
    return nomination


@transaction.atomic
def name_head(nomination, *, actor):
    """Name this delegate the economy's Head of Delegation; the title moves
    from whoever held it."""
    _locked_event(nomination.event)
    nomination = _locked_nomination(nomination)
    if not nomination.is_active or not nomination.registration.is_active:
        raise NominationRefused("Only a delegate whose nomination stands can be Head of Delegation.")
    if nomination.registration.participation_type == HEAD:
        raise NominationRefused(f"{nomination.registration.user.display_name} is already Head of Delegation.")
    former = _move_head_title(nomination.event, nomination.economy, nomination.registration, actor)
    _log(
        actor, "delegation.head_named", nomination, {"head": former},
        head=nomination.registration.user.email,
    )  # fmt: skip
    return nomination


def check_letter(upload):
    """The nomination letter must be a real PDF, checked as meeting documents
    are (by its bytes, empty and size limits); ValidationError says why not."""
    if not (upload.name or "").lower().endswith(".pdf"):
        raise ValidationError("The nomination letter must be a PDF file (.pdf).")
    inspect_upload(upload)
    return upload


@transaction.atomic
def upload_letter(event, economy, upload, *, actor):
    economy = _member_economy(economy)
    check_letter(upload)
    existing = NominationLetter.objects.select_for_update().filter(event=event, economy=economy).first()
    letter = existing or NominationLetter(event=event, economy=economy)
    old_name = existing.file.name if existing else ""
    letter.file.save(f"{event.slug}-{economy.lower()}.pdf", upload, save=False)
    letter.size, letter.uploaded_by, letter.uploaded_at = upload.size, actor, timezone.now()
    letter.save()
    if old_name and old_name != letter.file.name:
        transaction.on_commit(lambda: letter.file.storage.delete(old_name))
    audit.record(
        actor, "delegation.letter_uploaded", event=event, obj=letter,
        after={"economy": economy.label, "bytes": letter.size, "replaced": bool(existing)},
    )  # fmt: skip
    return letter


# The Secretariat's decisions.


def _decided(nomination, state, reason, actor, action):
    before = {"state": nomination.state}
    nomination.state, nomination.reason, nomination.changed_at = state, reason, timezone.now()
    nomination.save(update_fields=["state", "reason", "changed_at"])
    _log(actor, action, nomination, before, reason=reason)
    return nomination


@transaction.atomic
def pre_approve(nomination, *, actor, reason=""):
    _locked_event(nomination.event)
    nomination = _locked_nomination(nomination)
    if nomination.state != State.NOMINATED:
        raise NominationRefused(
            f"Only a new nomination can be pre-approved; this one is {nomination.get_state_display().lower()}."
        )
    if not nomination.registration.is_active:
        raise NominationRefused("This delegate has cancelled their registration.")
    _decided(nomination, State.PRE_APPROVED, reason, actor, "delegation.pre_approved")
    _notice(nomination.registration, "pre_approved", reason=reason)
    return nomination


@transaction.atomic
def approve(nomination, *, actor, reason=""):
    """The delegate's registration is approved through registrations (seat
    rules apply: a full event puts them on the waiting list); they get its
    approval mail."""
    _locked_event(nomination.event)
    nomination = _locked_nomination(nomination)
    if nomination.state not in (State.NOMINATED, State.PRE_APPROVED):
        raise NominationRefused(
            f"Only a nomination waiting for a decision can be approved; this one is "
            f"{nomination.get_state_display().lower()}."
        )
    registration = nomination.registration
    if not registration.is_active:
        raise NominationRefused(
            f"This delegate's registration is {registration.get_status_display().lower()}; it cannot be approved."
        )
    # Decided first, so the registration's approval (which the nomination
    # otherwise follows, see follow_registrations) finds it decided.
    _decided(nomination, State.APPROVED, reason, actor, "delegation.approved")
    if registration.status == Registration.Status.PENDING:
        registration_services.approve(registration, actor=actor, reason=reason)
    return nomination


@transaction.atomic
def decline(nomination, *, actor, reason):
    if not (reason or "").strip():
        raise NominationRefused("Give a reason; the delegate and the focal point are told it.")
    _locked_event(nomination.event)
    nomination = _locked_nomination(nomination)
    if not nomination.is_active:
        raise NominationRefused(f"This nomination is already {nomination.get_state_display().lower()}.")
    _decided(nomination, State.DECLINED, reason, actor, "delegation.declined")
    if nomination.registration.status in (Registration.Status.PENDING, Registration.Status.CONFIRMED,
                                          Registration.Status.WAITLISTED):  # fmt: skip
        registration_services.decline(nomination.registration, reason, actor=actor)
    return nomination


FOLLOWED = {
    Registration.Status.CONFIRMED: State.APPROVED,
    Registration.Status.WAITLISTED: State.APPROVED,
    Registration.Status.DECLINED: State.DECLINED,
}


def follow_registrations(registrations, actor, reason):
    """A nominee approved, declined or moved on the Registrations page: the
    nomination follows (the delegate was told by the registration's own
    mail, so none is sent here). Registered in DelegationsConfig.ready()."""
    states = {registration.pk: FOLLOWED.get(registration.status) for registration in registrations}
    waiting = Nomination.objects.filter(
        registration_id__in=[pk for pk, state in states.items() if state],
        state__in=(State.NOMINATED, State.PRE_APPROVED),
    ).select_related("registration__user__profile", "event")
    for nomination in waiting.select_for_update(of=("self",)):
        state = states[nomination.registration_id]
        _decided(nomination, state, reason, actor, f"delegation.{state}")


# The delegate's side.

DETAIL_FIELDS = (
    "organisation", "participation_mode", "sex", "dietary_needs", "accessibility_needs", "invitation_letter",
    "passport_name", "nationality", "passport_number", "date_of_birth", "email_in_participant_list",
    "share_in_public_list",
)  # fmt: skip


@transaction.atomic
def complete_details(registration, answers, *, actor):
    """The nominated person fills in their own details (the nomination knew
    only name and e-mail): needs, the visa letter's passport details, what
    the lists may show. Logged without the values, which are personal data."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        raise NominationRefused(f"This registration is {registration.get_status_display().lower()}.")
    if registration.personal_data_erased_at is not None:
        raise NominationRefused("The event is over and its personal data erased; nothing more can be added.")
    changed = [field for field in DETAIL_FIELDS if field in answers and getattr(registration, field) != answers[field]]
    for field in changed:
        setattr(registration, field, answers[field])
    if registration.privacy_consent_at is None:
        registration.privacy_consent_at = timezone.now()
    registration.clean_fields(exclude=["event", "user", "checkin_code", "uid"])
    registration.save()
    audit.record(
        actor, "registration.details_completed", event=registration.event_id, obj=registration,
        after={"fields": changed}, label=registration.user.display_name,
    )  # fmt: skip
    return registration
