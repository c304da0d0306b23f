"""One small world with every kind of object a URL can name, the roles that can
ask for it, and a table with a row for every URL pattern of the site.

The permission matrix and the fuzz test both read the table; a URL pattern
added without a row fails both, so a new page cannot skip either check."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from attendance import join_links
from delegations import nominations
from delegations import services as participant_list_services
from delegations.models import DelegationSettings, EconomyQuota, FinalParticipantList, FocalPoint, NominationLetter
from delegations.models import Nomination as DelegationNomination
from evaluation import services as survey_services
from evaluation import tokens as survey_tokens
from evaluation.models import Invitation as SurveyInvitation
from evaluation.models import Question, Response, Survey
from events import invitations, organising
from events import services as event_services
from events.models import Event, EventInvitation, EventRole, MeetingCluster, MeetingDocument, Venue
from questions import services as question_services
from questions.models import Answer as FormAnswer
from questions.models import Completion, FollowUpForm
from questions.models import Question as FormQuestion
from registrations import calendar_feed, notifications
from registrations import services as registration_services
from registrations.models import Delivery, GeneratedDocument, OrganiserMessage, Registration, StarredItem
from travel import services as travel_services
from travel.models import ClaimDocument, FundedTraveller, TravelEligibility, TravelFunding, TravelPlaces

from ..factories import add_item, make_event, make_user, make_venue

# "owner" owns a registration (and an authenticator); "event_owner",
# "organiser", "checkin_staff" and "viewer" hold those roles on the world's
# event (desk/permissions.py); "other_organiser" organises another event.
ROLES = (
    "anonymous",
    "participant",
    "owner",
    "event_owner",
    "organiser",
    "checkin_staff",
    "viewer",
    "other_organiser",
    "staff",
)

# What each role may do with a URL of each access class. "allowed": an answer
# below 400 that is not a sign-in redirect; "login": a redirect to sign in;
# "refused": 403 or 404, showing nothing of the event's confidential data.
ALLOWED, LOGIN, REFUSED = "allowed", "login", "refused"
ACCESS = {
    "public": dict.fromkeys(ROLES, ALLOWED),
    "signed_in": {**dict.fromkeys(ROLES, ALLOWED), "anonymous": LOGIN},
    # A step of signing in (a code by mail, a second factor): with no sign-in
    # under way, back to the sign-in page.
    "sign_in_stage": {**dict.fromkeys(ROLES, ALLOWED), "anonymous": LOGIN},
    "owner": {**dict.fromkeys(ROLES, REFUSED), "anonymous": LOGIN, "owner": ALLOWED},
    # Changing the event, or files and pages of personal data: owners and organisers.
    "event_desk": {
        **dict.fromkeys(ROLES, REFUSED),
        "anonymous": LOGIN,
        "event_owner": ALLOWED,
        "organiser": ALLOWED,
        "staff": ALLOWED,
    },
    # Reading the desk: viewers too, but only GET (a POST is "event_desk").
    "event_view": {
        **dict.fromkeys(ROLES, REFUSED),
        "anonymous": LOGIN,
        "event_owner": ALLOWED,
        "organiser": ALLOWED,
        "viewer": ALLOWED,
        "staff": ALLOWED,
    },
    # The check-in pages: check-in staff too.
    "event_checkin": {
        **dict.fromkeys(ROLES, REFUSED),
        "anonymous": LOGIN,
        "event_owner": ALLOWED,
        "organiser": ALLOWED,
        "checkin_staff": ALLOWED,
        "staff": ALLOWED,
    },
    # The event's team (roles and invitations): owners only.
    "event_roles": {**dict.fromkeys(ROLES, REFUSED), "anonymous": LOGIN, "event_owner": ALLOWED, "staff": ALLOWED},
    # Creating events, speakers, venues and meeting clusters: the Organisers group's permissions.
    "creator": {
        **dict.fromkeys(ROLES, REFUSED),
        "anonymous": LOGIN,
        "event_owner": ALLOWED,
        "organiser": ALLOWED,
        "other_organiser": ALLOWED,
        "staff": ALLOWED,
    },
    "staff": {**dict.fromkeys(ROLES, REFUSED), "anonymous": LOGIN, "staff": ALLOWED},
    # An economy's delegation (delegations/): its focal points only, who are
    # no desk role; the world's "participant" is Chile's focal point.
    "focal_point": {**dict.fromkeys(ROLES, REFUSED), "anonymous": LOGIN, "participant": ALLOWED},
}
# A class whose POSTs are another's: a viewer reads a page but sends none of its forms.
POST_ACCESS = {"event_view": "event_desk"}


def expected_access(route, role, method):
    access = POST_ACCESS.get(route.access, route.access) if method == "POST" else route.access
    return ACCESS[access][role]


# Appears only in what the organisers of the event may see.
CONFIDENTIAL = "Zebra-confidential-7431"


@dataclass(frozen=True)
class Route:
    name: str
    access: str
    kwargs: object = None  # world -> URL kwargs
    get: bool = True
    post: object = None  # world -> form data, for views that change state
    # Whether an allowed POST with that data changes what the world holds: the
    # matrix then checks that it did, so "allowed" cannot pass on a form error.
    changes: bool = False
    fields: tuple = field(default=())  # more form fields for the fuzz test


def _local(w, hours=0):
    """A form's datetime-local value, ``hours`` after the event starts."""
    return (w.event.starts_at + timedelta(hours=hours)).astimezone(w.event.tz).strftime("%Y-%m-%dT%H:%M")


def _event(w):
    return {"slug": w.event.slug}


def _item(w):
    return {"slug": w.event.slug, "uid": w.item.uid}


def _applicant(w):
    return {"slug": w.event.slug, "uid": w.applicant_registration.uid}


def _own(w):
    return {"uid": w.registration.uid}


def _chile(w):
    return {"slug": w.event.slug, "economy": "CL"}


def _nominee(w):
    return {"slug": w.event.slug, "economy": "CL", "uid": w.nomination.registration.uid}


def _nominee_desk(w):
    return {"slug": w.event.slug, "uid": w.nomination.registration.uid}


def _traveller(w):
    return {"slug": w.event.slug, "pk": w.traveller.pk}


def _survey(w):
    return {"slug": w.event.slug, "pk": w.survey.pk}


SURVEY_FIELDS = (
    "action", "kind", "text", "help_text", "choices", "required", "per_session", "title", "introduction",
    "anonymous", "opens_at", "closes_at", "reminder_days", "follow_up_months",
)  # fmt: skip


def _form_question(w):
    return {"slug": w.event.slug, "pk": w.form_question.pk}


def _followup(w):
    return {"slug": w.event.slug, "pk": w.followup_form.pk}


QUESTION_FIELDS = ("kind", "label", "help_text", "choices", "required", "participation_types", "direction")
FOLLOWUP_FIELDS = ("title", "introduction", "due_on", "reminder_days_before")


REGISTER_FIELDS = (
    "dietary_needs", "accessibility_needs", "passport_number", "date_of_birth", "invitation_letter",
    "participation_mode", "sex",
)  # fmt: skip


ROUTES = [
    Route("home", "public"),
    Route("healthz", "public"),
    Route("personal_feed", "public", lambda w: {"token": w.calendar_token}),
    Route("unsubscribe", "public", lambda w: {"token": w.unsubscribe_token}, post=lambda w: {}, changes=True),
    Route("privacy", "public"),
    # Public pages of the event.
    Route("events:list", "public", fields=("when", "page", "cluster", "economy")),
    Route("events:feed", "public"),
    Route("events:detail", "public", _event, fields=("tz",)),
    Route("events:event_ics", "public", _event),
    Route("events:agenda", "public", _event, fields=("tz", "day")),
    Route("events:agenda_feed", "public", _event),
    Route("events:agenda_pdf", "public", _event),
    Route("events:agenda_pdf_status", "public", _event),
    Route("events:agenda_history", "public", _event),
    Route("events:agenda_version", "public", lambda w: {"slug": w.event.slug, "number": 1}),
    Route("events:item_ics", "public", _item),
    Route("events:item_calendar", "public", _item),
    Route("events:item_calendar_link", "public", lambda w: {**_item(w), "provider": "outlook"}),
    Route("events:documents", "public", _event),
    Route("events:documents_pdf", "public", _event),
    Route("events:documents_pdf_status", "public", _event),
    Route("events:document_download", "public", lambda w: {"slug": w.event.slug, "pk": w.document.pk}),
    Route("registrations:participants_pdf", "public", _event),
    Route("registrations:participants_pdf_status", "public", _event),
    # A participant's own pages.
    Route(
        "registrations:register",
        "signed_in",
        _event,
        post=lambda w: {
            "participation_type": "delegate",
            "economy": "CL",
            "organisation": "INAPI",
            "privacy_consent": "on",
        },
        fields=REGISTER_FIELDS,
    ),
    Route("registrations:my_agenda", "signed_in", _event),
    Route("registrations:star", "signed_in", _item, post=lambda w: {}, changes=True),
    Route("registrations:mine", "signed_in"),
    Route("registrations:detail", "owner", _own),
    Route("registrations:cancel", "owner", _own, post=lambda w: {}, changes=True),
    Route("registrations:invitation", "owner", _own),
    Route("registrations:certificate", "owner", lambda w: {"uid": w.attended_registration.uid}),
    Route("registrations:letter", "owner", _own),
    # A survey's personal link (evaluation/): whoever holds it answers, once.
    Route(
        "evaluation:answer",
        "public",
        lambda w: {"token": w.survey_token},
        post=lambda w: {f"q{w.open_question.pk}": "Very useful"},
        changes=True,
    ),
    Route("evaluation:thanks", "public", lambda w: {"token": w.survey_token}),
    # Attendance per session (attendance/): the world's sessions are weeks
    # away, so a code or a join link is refused with a reason, changing nothing.
    Route(
        "attendance:room_code",
        "signed_in",
        _event,
        post=lambda w: {"session": str(w.item.uid), "code": "ABCDEF"},
        fields=("session", "code"),
    ),
    Route("attendance:join", "owner", lambda w: {"token": w.join_token}),
    Route(
        "account_profile",
        "signed_in",
        post=lambda w: {"full_name": "Renamed Person", "economy": "NZ"},
        changes=True,
        fields=("title", "organisation", "event_reminders", "agenda_changes", "organiser_messages", "sex"),
    ),
    Route("account_calendar", "signed_in", post=lambda w: {}, changes=True),
    # Sign-in and account pages (allauth).
    Route("account_login", "public", fields=("login", "password", "remember", "next")),
    Route("account_logout", "public"),
    Route("account_inactive", "public"),
    Route("account_signup", "public", fields=("email", "password1", "password2", "full_name", "economy")),
    Route("account_reauthenticate", "signed_in", fields=("password",)),
    Route("account_email", "signed_in", fields=("email", "action_add", "action_remove", "action_primary")),
    Route("account_email_verification_sent", "public"),
    Route("account_change_password", "signed_in", fields=("oldpassword", "password1", "password2")),
    Route("account_set_password", "signed_in", fields=("password1", "password2")),
    Route("account_reset_password", "public", fields=("email",)),
    Route("account_confirm_login_code", "sign_in_stage", fields=("code",)),
    Route("account_confirm_email", "public", lambda w: {"key": "not-a-key"}),
    Route("account_reset_password_from_key_done", "public"),
    Route("account_reset_password_from_key", "public", lambda w: {"uidb36": "1", "key": "set-password"}),
    Route("account_reset_password_done", "public"),
    # Two-factor sign-in (allauth.mfa).
    Route("mfa_index", "signed_in"),
    Route("mfa_activate_totp", "signed_in", fields=("code",)),
    # Only someone with an authenticator (the owner, here) has one to see or remove.
    Route("mfa_deactivate_totp", "owner", fields=("code",)),
    Route("mfa_view_recovery_codes", "owner"),
    Route("mfa_download_recovery_codes", "owner"),
    Route("mfa_generate_recovery_codes", "signed_in"),
    Route("mfa_reauthenticate", "signed_in", fields=("code",)),
    Route("mfa_authenticate", "sign_in_stage", fields=("code",)),
    Route("admin:index", "staff"),
    # The organiser desk.
    Route("desk:home", "signed_in"),
    Route(
        "desk:event_create",
        "creator",
        post=lambda w: {
            "title": "New workshop",
            "slug": "new-workshop",
            "kind": "workshop",
            "venue": w.event.venue_id,
            "starts_at": "2031-06-01T09:00",
            "ends_at": "2031-06-01T17:00",
            "capacity": "40",
        },
        changes=True,
        fields=("description", "registration_opens_at", "registration_closes_at", "project_code", "cluster"),
    ),
    Route(
        "desk:event",
        "event_view",
        _event,
        post=lambda w: {
            "title": "Renamed workshop",
            "slug": w.event.slug,
            "kind": "workshop",
            "venue": w.event.venue_id,
            "starts_at": _local(w),
            "ends_at": _local(w, 32),
            "capacity": "10",
        },
        changes=True,
    ),
    Route("desk:event_publish", "event_desk", lambda w: {"slug": w.draft.slug}, get=False, post=lambda w: {}),
    Route("desk:event_cancel", "event_desk", _event, post=lambda w: {"confirm": "on"}, changes=True),
    Route("desk:agenda", "event_view", _event),
    Route("desk:agenda_publish", "event_desk", _event, get=False, post=lambda w: {"note": "Second"}, changes=True),
    Route(
        "desk:item_create",
        "event_desk",
        _event,
        post=lambda w: {
            "title": "Added session",
            "kind": "presentation",
            "starts_at": _local(w, 4),
            "ends_at": _local(w, 5),
        },
        changes=True,
        fields=("room", "speakers", "description"),
    ),
    Route(
        "desk:item_edit",
        "event_desk",
        _item,
        post=lambda w: {
            "title": "Renamed session",
            "kind": "presentation",
            "starts_at": _local(w),
            "ends_at": _local(w, 1),
        },
        changes=True,
    ),
    Route("desk:item_delete", "event_desk", _item, post=lambda w: {}, changes=True),
    Route(
        "desk:speaker_create",
        "creator",
        post=lambda w: {"name": "Added Speaker", "economy": "CL"},
        changes=True,
        fields=("title", "position", "organisation", "bio"),
    ),
    Route(
        "desk:venue_create",
        "creator",
        post=lambda w: {"name": "Te Pae", "city": "Christchurch", "economy": "NZ", "timezone": "Pacific/Auckland"},
        changes=True,
        fields=("address", "then"),
    ),
    Route(
        "desk:cluster_create",
        "creator",
        post=lambda w: {
            "meeting": "SOM3",
            "year": "2031",
            "host_city": "Christchurch",
            "host_economy": "NZ",
            "start_date": "2031-08-10",
            "end_date": "2031-08-20",
        },
        changes=True,
        fields=("slug", "then"),
    ),
    Route(
        "desk:team",
        "event_roles",
        _event,
        post=lambda w: {"email": "co-organiser@example.org", "role": "organiser"},
        changes=True,
    ),
    Route(
        "desk:team_role",
        "event_roles",
        lambda w: {"slug": w.event.slug, "pk": w.viewer_role.pk},
        get=False,
        post=lambda w: {"role": "organiser"},
        changes=True,
    ),
    Route(
        "desk:team_remove",
        "event_roles",
        lambda w: {"slug": w.event.slug, "pk": w.viewer_role.pk},
        get=False,
        post=lambda w: {},
        changes=True,
    ),
    Route(
        "desk:invitation_withdraw",
        "event_roles",
        lambda w: {"slug": w.event.slug, "pk": w.invitation.pk},
        get=False,
        post=lambda w: {},
        changes=True,
    ),
    # The link of an invitation mail: anyone holding it sees the invitation;
    # signed in, they may accept it (tests/events/test_team.py).
    Route("desk:invitation", "public", lambda w: {"token": w.invitation_token}, post=lambda w: {"confirm": "on"}),
    Route("desk:documents", "event_view", _event, fields=("title", "access", "file", "item_uid", "group")),
    Route(
        "desk:document_replace",
        "event_desk",
        lambda w: {"slug": w.event.slug, "pk": w.document.pk},
        fields=("file",),
    ),
    Route("desk:registrations", "event_view", _event, fields=("status", "type", "economy", "q", "page")),
    Route("desk:capacity", "event_desk", _event, get=False, post=lambda w: {"capacity": "12"}, changes=True),
    Route(
        "desk:registrations_bulk",
        "event_desk",
        _event,
        get=False,
        post=lambda w: {"registration": [str(w.applicant_registration.uid)], "action": "decline", "reason": "Late"},
        changes=True,
        fields=("registration", "action", "to_status", "reason", "back", "confirm_full"),
    ),
    Route("desk:registrations_export", "event_desk", lambda w: {"slug": w.event.slug, "file_format": "csv"}),
    Route("desk:registration", "event_desk", _applicant),
    Route("desk:approve", "event_desk", _applicant, get=False, post=lambda w: {"decision-reason": ""}, changes=True),
    Route(
        "desk:decline", "event_desk", _applicant, get=False, post=lambda w: {"decision-reason": "Late"}, changes=True
    ),
    Route(
        "desk:move",
        "event_desk",
        _applicant,
        get=False,
        post=lambda w: {"move-status": "waitlisted", "move-reason": "Full"},
        changes=True,
    ),
    # The world has nobody on the waiting list: an allowed POST is refused by the service, changing nothing.
    Route(
        "desk:seat_above_capacity",
        "event_desk",
        _applicant,
        get=False,
        post=lambda w: {"override-reason": "Host economy"},
        fields=("override-reason",),
    ),
    Route("desk:letter", "event_desk", lambda w: {"slug": w.event.slug, "uid": w.registration.uid}),
    Route(
        "desk:registration_funding",
        "event_desk",
        _applicant,
        get=False,
        post=lambda w: {"funding-funding": "apec_expert"},
        changes=True,
        fields=("funding-funding", "funding-reason"),
    ),
    # The completion report (reports/): the world's event is the only one of
    # its project code, so whoever may view its desk reads the project's page.
    Route("desk:report", "event_view", _event, fields=("version",)),
    Route(
        "desk:report_file", "event_view", lambda w: {"slug": w.event.slug, "file_format": "xlsx"}, fields=("version",)
    ),
    Route("desk:project_report", "event_view", lambda w: {"code": w.event.project_code}, fields=("version",)),
    Route(
        "desk:project_report_file",
        "event_view",
        lambda w: {"code": w.event.project_code, "file_format": "pdf"},
        fields=("version",),
    ),
    Route(
        "desk:messages",
        "event_view",
        _event,
        post=lambda w: {"subject": "Venue change", "body": "Room 2 now.", "status": ["confirmed"]},
        changes=True,
        fields=("status", "type", "economy", "action", "expected"),
    ),
    Route(
        "desk:delivery_try_again",
        "event_desk",
        lambda w: {"slug": w.event.slug, "pk": w.failed_delivery.pk},
        get=False,
        post=lambda w: {},
        changes=True,
    ),
    Route("desk:message", "event_view", lambda w: {"slug": w.event.slug, "pk": w.message.pk}),
    Route("desk:message_status", "event_view", lambda w: {"slug": w.event.slug, "pk": w.message.pk}),
    Route("desk:message_recipients", "event_view", _event, fields=("status", "type", "economy", "to")),
    Route(
        "desk:message_preview_html", "event_view", lambda w: {"slug": w.event.slug, "key": "0123456789abcdef01234567"}
    ),
    Route("desk:participants_pdf", "event_desk", _event),
    Route("desk:badges_pdf", "event_desk", _event),
    Route(
        "desk:request_document",
        "event_desk",
        lambda w: {"slug": w.event.slug, "kind": "badges"},
        get=False,
        post=lambda w: {},
        changes=True,
    ),
    Route("desk:generated", "event_desk", lambda w: {"slug": w.event.slug, "pk": w.generated.pk}),
    Route("desk:generated_status", "event_desk", lambda w: {"slug": w.event.slug, "pk": w.generated.pk}),
    Route("desk:generated_download", "event_desk", lambda w: {"slug": w.event.slug, "pk": w.generated.pk}),
    Route("desk:activity", "event_desk", _event, fields=("action", "actor", "since", "until", "page")),
    # Surveys (evaluation/): the world's event has a draft evaluation; the
    # past event an open one, to which the owner is invited.
    Route(
        "desk:surveys",
        "event_view",
        _event,
        post=lambda w: {"kind": "follow_up", "anonymous": "on", "months": "12"},
        changes=True,
        fields=("kind", "anonymous", "months"),
    ),
    Route(
        "desk:survey",
        "event_view",
        _survey,
        post=lambda w: {"action": "question", "kind": "text", "text": "Anything else?"},
        changes=True,
        fields=SURVEY_FIELDS,
    ),
    Route(
        "desk:survey_question",
        "event_desk",
        lambda w: {**_survey(w), "question": w.survey_question.pk},
        post=lambda w: {"kind": "scale", "text": "Reworded question"},
        changes=True,
        fields=("kind", "text", "help_text", "choices", "required", "per_session"),
    ),
    Route(
        "desk:survey_question_action",
        "event_desk",
        lambda w: {**_survey(w), "question": w.survey_question.pk},
        get=False,
        post=lambda w: {"action": "remove"},
        changes=True,
        fields=("action",),
    ),
    Route(
        "desk:survey_status",
        "event_desk",
        _survey,
        post=lambda w: {"action": "schedule"},
        changes=True,
        fields=("action",),
    ),
    Route("desk:survey_results", "event_view", _survey),
    Route("desk:survey_answers_csv", "event_desk", _survey),
    Route("desk:attendance", "event_view", _event),
    Route("desk:attendance_csv", "event_view", _event),
    Route(
        "desk:attendance_settings",
        "event_desk",
        _event,
        post=lambda w: {
            "attendance_margin_minutes": "20",
            "remote_link_lead_minutes": "45",
            "remote_meeting_url": "https://meet.example.org/ipeg-matrix",
        },
        changes=True,
    ),
    Route("desk:attendance_screen", "event_checkin", _item),
    Route("desk:attendance_screen_status", "event_checkin", _item),
    Route("desk:checkin", "event_checkin", _event, fields=("q", "registration")),
    Route(
        "desk:checkin_scan",
        "event_checkin",
        _event,
        get=False,
        post=lambda w: {"code": w.registration.checkin_code},
        changes=True,
        fields=("id", "scanned_at", "scans"),
    ),
    Route(
        "desk:checkin_code",
        "event_checkin",
        lambda w: {"slug": w.event.slug, "code": w.registration.checkin_code},
        post=lambda w: {},
        changes=True,
    ),
    # The official List of Participants (issue 15). The draft event's list is
    # already final, so its Word file can be fetched; the world's event's is not.
    Route("desk:participant_list", "event_view", _event),
    Route("desk:participant_list_pdf", "event_view", _event),
    Route("desk:participant_list_pdf_status", "event_view", _event),
    Route("desk:participant_list_docx", "event_view", _event),
    Route("desk:participant_list_docx_status", "event_view", _event),
    Route("desk:participant_list_finalise", "event_desk", _event, get=False, post=lambda w: {}, changes=True),
    Route("desk:participant_list_final_docx", "event_view", lambda w: {"slug": w.draft.slug}),
    # Delegations nominated by economies (delegations/): the focal point's
    # pages, the nominated delegate's details, the desk's Delegations page.
    Route("delegations:mine", "signed_in"),
    Route(
        "delegations:delegation",
        "focal_point",
        _chile,
        post=lambda w: {"full_name": "Nina Nominee", "email": "nina@example.org", "participation_type": "delegate"},
        changes=True,
    ),
    Route(
        "delegations:letter_upload",
        "focal_point",
        _chile,
        get=False,
        post=lambda w: {"letter": pdf_upload("nomination.pdf")},
        changes=True,
    ),
    Route("delegations:letter", "focal_point", _chile),
    Route("delegations:withdraw", "focal_point", _nominee, get=False, post=lambda w: {}, changes=True),
    Route("delegations:head", "focal_point", _nominee, get=False, post=lambda w: {}, changes=True),
    Route(
        "delegations:details",
        "owner",
        _own,
        post=lambda w: {"participation_mode": "remote_listening", "dietary_needs": "Vegan"},
        changes=True,
        fields=("organisation", "dietary_needs", "invitation_letter", "date_of_birth", "sex"),
    ),
    Route("desk:delegations", "event_view", _event),
    Route(
        "desk:delegation_settings",
        "event_desk",
        _event,
        get=False,
        post=lambda w: {"nomination_only": ["delegate"], "default_quota": "3"},
        changes=True,
    ),
    Route(
        "desk:delegation_quota",
        "event_desk",
        _event,
        get=False,
        post=lambda w: {"economy": "PE", "quota": "2"},
        changes=True,
    ),
    Route(
        "desk:focal_point_add",
        "event_roles",
        _event,
        get=False,
        post=lambda w: {"email": "focal@example.org", "economy": "PE"},
        changes=True,
        fields=("full_name", "whole_cluster"),
    ),
    Route(
        "desk:focal_point_remove",
        "event_roles",
        lambda w: {"slug": w.event.slug, "pk": w.focal_point.pk},
        get=False,
        post=lambda w: {},
        changes=True,
    ),
    Route("desk:nomination_pre_approve", "event_desk", _nominee_desk, get=False, post=lambda w: {}, changes=True),
    Route("desk:nomination_approve", "event_desk", _nominee_desk, get=False, post=lambda w: {}, changes=True),
    Route(
        "desk:nomination_decline",
        "event_desk",
        _nominee_desk,
        get=False,
        post=lambda w: {"reason": "Not an expert"},
        changes=True,
    ),
    Route("desk:nomination_letter", "event_desk", lambda w: {"slug": w.event.slug, "economy": "CL"}),
    # Funded travellers (travel/): the traveller's claim, the desk's travel
    # funding and claim pages, and the Secretariat's travel-eligible economies.
    Route(
        "travel:claim",
        "owner",
        _own,
        post=lambda w: {"kind": "receipt", "file": pdf_upload("hotel-receipt.pdf")},
        changes=True,
        fields=("kind", "file"),
    ),
    Route("travel:document", "owner", lambda w: {"uid": w.registration.uid, "pk": w.claim_document.pk}),
    Route(
        "travel:document_remove",
        "owner",
        lambda w: {"uid": w.registration.uid, "pk": w.claim_document.pk},
        get=False,
        post=lambda w: {},
        changes=True,
    ),
    Route("travel:submit", "owner", _own, get=False, post=lambda w: {}, changes=True),
    Route("desk:travel", "event_view", _event),
    Route(
        "desk:travel_settings",
        "event_desk",
        _event,
        get=False,
        post=lambda w: {"settings-places_per_economy": "2", "settings-claim_due_days": "20"},
        changes=True,
        fields=("settings-places_per_economy", "settings-claim_due_days"),
    ),
    Route(
        "desk:travel_places",
        "event_desk",
        _event,
        get=False,
        post=lambda w: {"places-economy": "MY", "places-places": "2"},
        changes=True,
        fields=("places-economy", "places-places"),
    ),
    Route(
        "desk:travel_fund",
        "event_desk",
        _event,
        get=False,
        post=lambda w: {
            "fund-registration": str(w.fundable_registration.uid),
            "fund-category": "apec_speaker",
            "fund-airfare_class": "economy",
        },
        changes=True,
        fields=("fund-registration", "fund-category", "fund-airfare_class", "fund-per_diem_days"),
    ),
    Route("desk:travel_claim", "event_view", _traveller),
    Route(
        "desk:travel_decide",
        "event_desk",
        lambda w: {"slug": w.event.slug, "pk": w.submitted_traveller.pk},
        get=False,
        post=lambda w: {"decision-decision": "accept"},
        changes=True,
        fields=("decision-decision", "decision-reason"),
    ),
    Route(
        "desk:travel_unfund",
        "event_desk",
        _traveller,
        get=False,
        post=lambda w: {"unfund-reason": "The budget was cut."},
        changes=True,
        fields=("unfund-reason",),
    ),
    Route(
        "desk:travel_document",
        "event_desk",
        lambda w: {"slug": w.event.slug, "pk": w.traveller.pk, "document": w.claim_document.pk},
    ),
    Route("desk:travel_eligibility", "staff", post=lambda w: {"eligible": ["CL", "PE"]}, changes=True),
    # The organisers' questions (questions/): the owner's follow-up form, and
    # the desk's register questions and follow-up forms.
    Route(
        "questions:followup",
        "owner",
        lambda w: {"uid": w.registration.uid, "pk": w.followup_form.pk},
        post=lambda w: {f"question_{w.followup_question.pk}": "NZ 701"},
        changes=True,
    ),
    Route("desk:questions", "event_view", _event),
    Route(
        "desk:question_add",
        "event_desk",
        _event,
        get=False,
        post=lambda w: {"kind": "short_text", "label": "Hotel"},
        changes=True,
        fields=QUESTION_FIELDS,
    ),
    Route(
        "desk:question_edit",
        "event_desk",
        _form_question,
        post=lambda w: {"kind": "date", "label": "Arrival day"},
        changes=True,
        fields=QUESTION_FIELDS,
    ),
    Route(
        "desk:question_move", "event_desk", _form_question, get=False, post=lambda w: {"direction": "up"}, changes=True
    ),
    Route("desk:question_remove", "event_desk", _form_question, get=False, post=lambda w: {}, changes=True),
    Route(
        "desk:followup_forms",
        "event_view",
        _event,
        post=lambda w: {"title": "Hotel", "due_on": "2031-01-10", "reminder_days_before": "3"},
        changes=True,
        fields=FOLLOWUP_FIELDS,
    ),
    Route(
        "desk:followup_form",
        "event_view",
        _followup,
        post=lambda w: {"title": "Arrival and hotel", "due_on": "2031-01-12", "reminder_days_before": "7, 1"},
        changes=True,
        fields=FOLLOWUP_FIELDS,
    ),
    Route(
        "desk:followup_question_add",
        "event_desk",
        _followup,
        get=False,
        post=lambda w: {"kind": "yes_no", "label": "Airport pick-up?"},
        changes=True,
        fields=QUESTION_FIELDS,
    ),
    Route("desk:followup_csv", "event_desk", _followup),
]

# Django's admin keeps its own permission checks per model; the matrix checks
# who reaches it at all (admin:index) and leaves the rest to Django's tests.
EXCLUDED_PREFIXES = ("admin/",)


def url_pattern_names():
    """Every named URL pattern of the site, namespaced as reverse() takes it."""

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, route, inner)
            elif isinstance(entry, URLPattern):
                yield route, f"{namespace}{entry.name}"

    return {
        name
        for route, name in walk(get_resolver(), "", "")
        if name == "admin:index" or not route.startswith(EXCLUDED_PREFIXES)
    }


def pdf_upload(name="minutes.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% fuzz world\n%%EOF\n", content_type="application/pdf")


def build_world():
    zone = ZoneInfo("Pacific/Auckland")
    now = timezone.now()
    venue = make_venue("Pacific/Auckland", "Auckland")
    users = SimpleNamespace(
        participant=make_user("participant@example.org", full_name="Pat Participant"),
        owner=make_user("owner@example.org", full_name="Olga Owner"),
        organiser=make_user("organiser@example.org", full_name="Ora Organiser"),
        other_organiser=make_user("other-organiser@example.org", full_name="Otto Other"),
        event_owner=make_user("event-owner@example.org", full_name="Eve Owner"),
        checkin_staff=make_user("checkin@example.org", full_name="Chet Door"),
        viewer=make_user("viewer@example.org", full_name="Vic Viewer"),
        staff=make_user("staff@example.org", staff=True, full_name="Sam Secretariat"),
    )
    users.staff.is_superuser = True
    users.staff.save()
    creator_permissions = Permission.objects.filter(
        codename__in=["add_event", "add_speaker", "add_venue", "add_meetingcluster"]
    )
    for organiser in (users.organiser, users.other_organiser, users.event_owner):
        organiser.user_permissions.add(*creator_permissions)
    applicant = make_user("applicant@example.org", full_name="Ana Applicant")

    starts = (now + timedelta(days=60)).astimezone(zone).replace(hour=9, minute=0, second=0, microsecond=0)
    event = make_event(
        "matrix-workshop",
        venue=venue,
        starts_at=starts,
        ends_at=starts + timedelta(days=1, hours=8),
        capacity=10,
        approval_required_for=["observer"],
        organisers=[users.organiser],
        project_code="IPEG 02 2031S",
    )
    draft = make_event("draft-workshop", venue=venue, status=Event.Status.DRAFT, organisers=[users.organiser])
    Role = EventRole.Role
    for desk_event in (event, draft):
        for user, role in (
            (users.event_owner, Role.OWNER),
            (users.checkin_staff, Role.CHECK_IN),
            (users.viewer, Role.VIEWER),
        ):
            EventRole.objects.create(event=desk_event, user=user, role=role)
    invitation = organising.invite(event, "invited@example.org", Role.VIEWER, actor=users.event_owner)
    other = make_event("other-workshop", venue=venue, organisers=[users.other_organiser])
    past = make_event(
        "past-workshop",
        venue=venue,
        starts_at=datetime(2025, 3, 3, 9, 0, tzinfo=zone),
        ends_at=datetime(2025, 3, 3, 17, 0, tzinfo=zone),
        organisers=[users.organiser],
    )

    item = add_item(event, "Opening", starts)
    event_services.publish_agenda(event, actor=users.organiser, note="First")
    add_item(event, f"Draft session {CONFIDENTIAL}", starts + timedelta(hours=2))
    event.refresh_from_db()
    document = event_services.add_document(
        event, "Minutes", pdf_upload(), "application/pdf", MeetingDocument.Access.PUBLIC, actor=users.organiser
    )
    event_services.add_document(
        event, f"Notes {CONFIDENTIAL}", pdf_upload(), "application/pdf", "organisers", actor=users.organiser
    )

    registration = registration_services.register(
        event,
        users.owner,
        economy="CL",
        organisation="INAPI",
        invitation_letter=True,
        passport_name="OLGA OWNER",
        nationality="Chilean",
        passport_number="P1234567",
    )
    applicant_registration = registration_services.register(
        event, applicant, participation_type="observer", organisation=CONFIDENTIAL
    )
    if applicant_registration.status != Registration.Status.PENDING:
        raise AssertionError("the world needs a registration waiting for approval")
    Registration.objects.create(
        event=past, user=users.owner, status=Registration.Status.ATTENDED, queued_at=now, checked_in_at=now
    )
    StarredItem.objects.create(user=users.owner, event=event, item_uid=item.uid)
    message = OrganiserMessage.objects.create(
        event=event, subject=f"Logistics {CONFIDENTIAL}", body="Bring your passport.", created_by=users.organiser
    )
    generated = GeneratedDocument.objects.create(
        event=event, kind=GeneratedDocument.Kind.BADGES, status=GeneratedDocument.Status.DONE, items=1
    )
    generated.file.save("badges.pdf", ContentFile(b"%PDF-1.4\n% badges\n%%EOF\n"))
    survey = survey_services.create_survey(event, Survey.Kind.EVALUATION, users.organiser)
    open_survey = Survey.objects.create(
        event=past, kind=Survey.Kind.EVALUATION, title="Evaluation of the past workshop",
        status=Survey.Status.OPEN, opens_at=now, closes_at=now + timedelta(days=28),
    )  # fmt: skip
    open_question = Question.objects.create(survey=open_survey, kind=Question.Kind.TEXT, text="How useful was it?")
    failed_delivery = Delivery.objects.create(
        registration=registration,
        kind=Delivery.Kind.REGISTRATION,
        key="confirmed",
        due_at=now,
        status=Delivery.Status.FAILED,
        payload={"mail": "confirmed"},
        attempts=5,
        last_error="SMTPRecipientsRefused: mailbox unavailable",
    )
    participant_list_services.print_final(participant_list_services.finalise(draft, actor=users.organiser).pk)
    # The participant is Chile's focal point: a delegate nominated and waiting,
    # the letter, and the owner's own registration counted as nominated too.
    focal_point = nominations.appoint_focal_point(event, users.participant.email, "CL", actor=users.event_owner)
    nomination = nominations.nominate(
        event, "CL", email="nominee@example.org", full_name="Nico Nominee", participation_type="delegate",
        actor=users.participant,
    )  # fmt: skip
    nominations.upload_letter(event, "CL", pdf_upload("chile.pdf"), actor=users.participant)
    DelegationNomination.objects.create(
        event=event, economy="CL", registration=registration, nominated_by=users.participant
    )
    # The owner is a funded traveller (Chile is travel-eligible) with an
    # e-ticket and a boarding pass; a speaker from Peru has submitted a claim;
    # a seated delegate from Malaysia is not funded yet.
    travel_services.set_eligibility({"CL", "PE", "MY"}, actor=users.staff)
    traveller = travel_services.fund(registration, "apec_participant", actor=users.organiser)
    claim_document = travel_services.add_document(
        traveller, "e_ticket", pdf_upload("e-ticket.pdf"), "application/pdf", "e-ticket.pdf", actor=users.owner
    )
    travel_services.add_document(
        traveller, "boarding_pass", pdf_upload("pass.pdf"), "application/pdf", "pass.pdf", actor=users.owner
    )
    submitted_traveller = travel_services.fund(
        registration_services.register(
            event, make_user("speaker@example.org", full_name="Pia Speaker"), economy="PE", organisation="INDECOPI"
        ),
        "apec_speaker",
        actor=users.organiser,
    )
    for kind in ("e_ticket", "boarding_pass"):
        travel_services.add_document(
            submitted_traveller, kind, pdf_upload(f"{kind}.pdf"), "application/pdf", f"{kind}.pdf", actor=None
        )
    travel_services.submit_claim(submitted_traveller, actor=None)
    fundable_registration = registration_services.register(
        event, make_user("delegate@example.org", full_name="Dee Delegate"), economy="MY", organisation="MyIPO"
    )
    # The owner has turned on two-factor sign-in, so has codes to see.
    TOTP.activate(users.owner, totp.generate_totp_secret())
    RecoveryCodes.activate(users.owner)
    unsubscribe = urlsplit(notifications.unsubscribe_url(users.owner, "event_reminder")).path
    # A register question before the one the routes name (so it can move up),
    # and a follow-up form the owner (seated) has not filled in yet.
    question_services.add_question(event, kind="short_text", label="Badge name", actor=users.organiser)
    form_question = question_services.add_question(event, kind="short_text", label="Arrival", actor=users.organiser)
    followup_form = question_services.save_followup_form(
        event, title="Arrival", due_on=event.starts_at.date(), reminder_days_before=[7], actor=users.organiser
    )
    followup_question = question_services.add_question(
        event, form=followup_form, kind="short_text", label="Flight", required=True, actor=users.organiser
    )
    return SimpleNamespace(
        users=users,
        event=event,
        other=other,
        draft=draft,
        item=item,
        document=document,
        registration=registration,
        applicant_registration=applicant_registration,
        attended_registration=Registration.objects.get(event=past, user=users.owner),
        message=message,
        failed_delivery=failed_delivery,
        generated=generated,
        viewer_role=EventRole.objects.get(event=event, user=users.viewer),
        invitation=invitation,
        invitation_token=invitations.token_for(invitation),
        calendar_token=calendar_feed.regenerate(users.owner),
        survey=survey,
        survey_question=survey.questions.first(),
        open_question=open_question,
        survey_token=survey_tokens.token_for(
            SurveyInvitation.objects.create(
                survey=open_survey, registration=Registration.objects.get(event=past, user=users.owner)
            )
        ),
        join_token=join_links.token_for(registration, item.uid),
        traveller=traveller,
        claim_document=claim_document,
        submitted_traveller=submitted_traveller,
        fundable_registration=fundable_registration,
        unsubscribe_token=unsubscribe.rstrip("/").rsplit("/", 1)[-1],
        focal_point=focal_point,
        nomination=nomination,
        form_question=form_question,
        followup_form=followup_form,
        followup_question=followup_question,
    )


def user_for(world, role):
    return None if role == "anonymous" else getattr(world.users, role)


def url_of(route, world, **overrides):
    kwargs = {**(route.kwargs(world) if route.kwargs else {}), **overrides}
    return reverse(route.name, kwargs=kwargs or None)


def state_of(world):
    """What a request could change, in one comparable value: a refused request
    must leave it as it was."""
    from django.contrib.auth import get_user_model

    from attendance.models import AttendanceMark, SessionMeetingLink
    from events.models import AgendaItem, AgendaVersion, Speaker
    from registrations.models import CalendarToken, ParticipantProfile

    return (
        sorted(Event.objects.values_list("slug", "title", "status", "capacity")),
        sorted(AgendaItem.objects.values_list("uid", "title", "starts_at")),
        AgendaVersion.objects.count(),
        Speaker.objects.count(),
        MeetingDocument.objects.count(),
        sorted(Registration.objects.values_list("uid", "status", "checked_in_at")),
        sorted(Registration.objects.values_list("uid", "funding")),
        StarredItem.objects.count(),
        OrganiserMessage.objects.count(),
        GeneratedDocument.objects.count(),
        sorted(Delivery.objects.values_list("pk", "status")),
        sorted(CalendarToken.objects.values_list("user_id", "digest")),
        sorted(
            ParticipantProfile.objects.values_list("user_id", "full_name", *ParticipantProfile.OPTIONAL_MAILS.values())
        ),
        get_user_model().objects.count(),
        Venue.objects.count(),
        MeetingCluster.objects.count(),
        sorted(EventRole.objects.values_list("event_id", "user_id", "role")),
        sorted(EventInvitation.objects.values_list("email", "role", "created_at", "accepted_at", "withdrawn_at")),
        sorted(Survey.objects.values_list("event_id", "kind", "status", "scheduled")),
        sorted(Question.objects.values_list("survey_id", "position", "kind", "text")),
        Response.objects.count(),
        sorted(Event.objects.values_list("slug", "attendance_margin_minutes", "remote_link_lead_minutes")),
        AttendanceMark.objects.count(),
        SessionMeetingLink.objects.count(),
        sorted(FinalParticipantList.objects.values_list("event_id", "document_id")),
        sorted(
            DelegationNomination.objects.values_list("registration__uid", "state", "registration__participation_type")
        ),
        sorted(FocalPoint.objects.values_list("user_id", "economy", "event_id", "cluster_id")),
        sorted(NominationLetter.objects.values_list("economy", "file", "uploaded_at")),
        sorted(DelegationSettings.objects.values_list("event_id", "nomination_only", "default_quota")),
        sorted(EconomyQuota.objects.values_list("event_id", "economy", "quota")),
        sorted(Registration.objects.values_list("uid", "dietary_needs", "participation_mode")),
        sorted(FundedTraveller.objects.values_list("registration_id", "category", "claim_state")),
        ClaimDocument.objects.count(),
        sorted(TravelEligibility.objects.values_list("economy", "eligible")),
        sorted(TravelFunding.objects.values_list("event_id", "places_per_economy", "claim_due_days")),
        sorted(TravelPlaces.objects.values_list("event_id", "economy", "places")),
        sorted(FormQuestion.objects.values_list("pk", "form_id", "position", "kind", "label", "archived_at")),
        sorted(FollowUpForm.objects.values_list("pk", "title", "due_on")),
        sorted(FormAnswer.objects.values_list("registration_id", "question_id", "value")),
        Completion.objects.count(),
    )
