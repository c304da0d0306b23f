"""An event's team: owners see who holds which role, change roles, take
people off the team and invite others by e-mail (permissions.ROLES). The
invitation link itself is open to anyone holding it: it names the event and
the role, and grants the role only to a signed-in account that confirms."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from events import invitations, organising
from events.models import EventInvitation, EventRole

from .feedback import refused
from .forms import AcceptInvitationForm, InvitationForm, RoleForm
from .permissions import ROLES, access_for, managed_event


@login_required
def team(request, slug):
    event = managed_event(request, slug, need=ROLES)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = organising.invite(
                event, form.cleaned_data["email"], form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                f"{invitation.email} is invited as {invitation.get_role_display().lower()}; "
                "the invitation mail is on its way.",
            )
            return redirect("desk:team", slug=event.slug)
    members = EventRole.objects.filter(event=event).select_related("user__profile").order_by("role", "user__email")
    open_invitations = EventInvitation.objects.filter(event=event, accepted_at=None, withdrawn_at=None)
    return render(
        request,
        "desk/team.html",
        {
            "event": event,
            "members": members,
            "invitations": open_invitations,
            "form": form,
            "roles": EventRole.Role.choices,
            "max_age_days": invitations.INVITATION_MAX_AGE.days,
        },
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


def _member(event, pk):
    return get_object_or_404(EventRole.objects.select_related("user__profile", "event"), event=event, pk=pk)


@login_required
@require_POST
def team_role(request, slug, pk):
    event = managed_event(request, slug, need=ROLES)
    membership = _member(event, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return redirect("desk:team", slug=slug)
    try:
        membership = organising.set_role(membership, form.cleaned_data["role"], actor=request.user)
    except ValidationError as refusal:
        refused(request, refusal)
    else:
        messages.success(
            request, f"{membership.user.display_name} is now {membership.get_role_display().lower()} of this event."
        )
    return redirect("desk:team", slug=slug)


@login_required
@require_POST
def team_remove(request, slug, pk):
    event = managed_event(request, slug, need=ROLES)
    membership = _member(event, pk)
    try:
        organising.remove_member(membership, actor=request.user)
    except ValidationError as refusal:
        refused(request, refusal)
        return redirect("desk:team", slug=slug)
    messages.success(request, f"{membership.user.display_name} is no longer on this event's team.")
    if membership.user_id == request.user.pk and not request.user.is_staff:
        return redirect("desk:home")
    return redirect("desk:team", slug=slug)


@login_required
@require_POST
def invitation_withdraw(request, slug, pk):
    event = managed_event(request, slug, need=ROLES)
    invitation = get_object_or_404(EventInvitation, event=event, pk=pk)
    organising.withdraw_invitation(invitation, actor=request.user)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn; its link no longer works.")
    return redirect("desk:team", slug=slug)


def invitation(request, token):
    """The link of an invitation mail. Anyone may open it; it grants the role
    to a signed-in account after a POST: at once when the account has the
    invited address verified, otherwise only when the person confirms that
    this account should have it."""
    try:
        invitation = invitations.invitation_from_token(token)
    except invitations.InvitationRefused as refusal:
        return render(
            request,
            "desk/invitation_refused.html",
            {"refusal": refusal, "max_age_days": invitations.INVITATION_MAX_AGE.days},
            status=refusal.status,
        )
    user = request.user
    here = reverse("desk:invitation", args=[token])
    context = {
        "invitation": invitation,
        "event": invitation.event,
        "next_query": urlencode({"next": here}),
        "form": AcceptInvitationForm(),
    }
    if not user.is_authenticated:
        return render(request, "desk/invitation.html", context)
    invited_account = organising.invited_account(invitation)
    matches = invited_account is not None and invited_account.pk == user.pk
    context.update(matches=matches, other_account=invited_account is not None and not matches)
    if request.method == "POST":
        form = AcceptInvitationForm(request.POST)
        context["form"] = form
        if form.is_valid() and (matches or form.cleaned_data["confirm"]):
            try:
                membership = organising.accept_invitation(invitation, user, actor=user)
            except invitations.InvitationRefused as refusal:
                return render(request, "desk/invitation_refused.html", {"refusal": refusal}, status=refusal.status)
            messages.success(
                request,
                f"You are now {membership.get_role_display().lower()} of “{invitation.event.title}”.",
            )
            access = access_for(user, membership.role)
            return redirect(access.start_url_name, slug=invitation.event.slug)
        context["confirm_error"] = True
        return render(request, "desk/invitation.html", context, status=400)
    return render(request, "desk/invitation.html", context)
