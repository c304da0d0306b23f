"""The desk's Delegations page: per member economy (APEC's order) its focal
points, quota used and limit, the nomination letter, counts per state and
each nomination with the Secretariat's actions (pre-approve, approve,
decline with a reason). Settings (types by nomination only, the default
quota) and economies' own quotas are set here too.

Who may: reading, anyone who reads the desk; the decisions, settings and
quotas, the event's organisers (ORGANISE); naming focal points, the event's
owner and staff (ROLES), as they name its team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from delegations import nominations, queries
from delegations.forms import DecisionForm, DeclineForm, FocalPointForm, QuotaForm, SettingsForm
from delegations.models import EconomyQuota, Nomination, NominationLetter
from delegations.participant_list import MEMBER_ECONOMIES
from delegations.views import letter_response
from events.economies import Economy

from .feedback import refused
from .permissions import ORGANISE, ROLES, VIEW, managed_event

State = Nomination.State


def _economies(event, settings):
    """One row per member economy, from five queries whatever the numbers."""
    points, people, own_quota = {}, {}, {}
    for point in queries.serving(event).select_related("user__profile", "cluster").order_by("appointed_at", "pk"):
        points.setdefault(point.economy, []).append(point)
    nominated = (
        Nomination.objects.filter(event=event)
        .select_related("registration__user__profile")
        .order_by("-registration__participation_type", "nominated_at", "pk")
    )
    for nomination in nominated:
        people.setdefault(nomination.economy, []).append(nomination)
    for economy, quota in EconomyQuota.objects.filter(event=event).values_list("economy", "quota"):
        own_quota[economy] = quota
    letters = {letter.economy: letter for letter in NominationLetter.objects.filter(event=event)}
    rows = []
    for economy in MEMBER_ECONOMIES:
        listed = people.get(economy.value, [])
        counts = dict.fromkeys(State.values, 0)
        for nomination in listed:
            counts[nomination.state] += 1
        used = sum(1 for nomination in listed if nomination.is_active and nomination.registration.is_active)
        rows.append(
            {
                "economy": economy,
                "focal_points": points.get(economy.value, []),
                "people": listed,
                "quota": own_quota.get(economy.value, settings.default_quota),
                "own_quota": economy.value in own_quota,
                "used": used,
                "letter": letters.get(economy.value),
                "counts": [(State(state).label, count) for state, count in counts.items() if count],
            }
        )
    return rows


def _page(request, event, status=200, **forms):
    settings = queries.settings_for(event)
    context = {
        "event": event,
        "settings": settings,
        "economies": _economies(event, settings),
        "settings_form": forms.get("settings_form")
        or SettingsForm(initial={"nomination_only": settings.nomination_only, "default_quota": settings.default_quota}),
        "quota_form": forms.get("quota_form") or QuotaForm(),
        "focal_point_form": forms.get("focal_point_form") or FocalPointForm(event=event),
        "decline_form": DeclineForm(),
    }
    return render(request, "desk/delegations.html", context, status=status)


@login_required
def delegations(request, slug):
    return _page(request, managed_event(request, slug, need=VIEW))


@login_required
@require_POST
def delegation_settings(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _page(request, event, status=400, settings_form=form)
    nominations.save_settings(
        event,
        nomination_only=form.cleaned_data["nomination_only"],
        default_quota=form.cleaned_data["default_quota"],
        actor=request.user,
    )
    messages.success(request, "The delegation settings are saved.")
    return redirect("desk:delegations", slug=slug)


@login_required
@require_POST
def delegation_quota(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = QuotaForm(request.POST)
    if not form.is_valid():
        return _page(request, event, status=400, quota_form=form)
    economy = Economy(form.cleaned_data["economy"])
    nominations.set_quota(event, economy, form.cleaned_data["quota"], actor=request.user)
    messages.success(request, f"{economy.label} may now nominate {queries.quota_for(event, economy)}.")
    return redirect("desk:delegations", slug=slug)


@login_required
@require_POST
def focal_point_add(request, slug):
    event = managed_event(request, slug, need=ROLES)
    form = FocalPointForm(request.POST, event=event)
    if form.is_valid():
        try:
            point = nominations.appoint_focal_point(
                event,
                form.cleaned_data["email"],
                form.cleaned_data["economy"],
                full_name=form.cleaned_data["full_name"],
                whole_cluster=form.cleaned_data.get("whole_cluster", False),
                actor=request.user,
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                f"{point.user.email} is focal point of {point.get_economy_display()}; the mail is on its way.",
            )
            return redirect("desk:delegations", slug=slug)
    return _page(request, event, status=400, focal_point_form=form)


@login_required
@require_POST
def focal_point_remove(request, slug, pk):
    event = managed_event(request, slug, need=ROLES)
    point = get_object_or_404(queries.serving(event).select_related("user"), pk=pk)
    nominations.remove_focal_point(point, event=event, actor=request.user)
    messages.success(request, f"{point.user.email} is no longer focal point of {point.get_economy_display()}.")
    return redirect("desk:delegations", slug=slug)


def _decide(request, slug, uid, decide, form_class, done):
    event = managed_event(request, slug, need=ORGANISE)
    nomination = get_object_or_404(
        Nomination.objects.select_related("registration__user__profile", "event"), event=event, registration__uid=uid
    )
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    else:
        try:
            decide(nomination, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            refused(request, refusal)
        else:
            messages.success(request, f"{nomination.registration.user.display_name}: {done}")
    return redirect(f"{reverse('desk:delegations', args=[slug])}#economy-{nomination.economy}")


@login_required
@require_POST
def nomination_pre_approve(request, slug, uid):
    return _decide(request, slug, uid, nominations.pre_approve, DecisionForm, "pre-approved; they are told by mail.")


@login_required
@require_POST
def nomination_approve(request, slug, uid):
    return _decide(request, slug, uid, nominations.approve, DecisionForm, "approved; they are told by mail.")


@login_required
@require_POST
def nomination_decline(request, slug, uid):
    return _decide(request, slug, uid, nominations.decline, DeclineForm, "declined; they are told by mail.")


@login_required
def nomination_letter(request, slug, economy):
    event = managed_event(request, slug, need=ORGANISE)
    if economy not in Economy.values:
        raise Http404("No such economy.")
    return letter_response(get_object_or_404(NominationLetter, event=event, economy=economy))
