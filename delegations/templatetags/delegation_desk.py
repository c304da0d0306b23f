"""The rows of nominations on the desk's Delegations page, written here
rather than in template loops: a plenary has 21 economies of ten and more
delegates, each row with its three forms, and the template engine's per-node
cost made up most of the page's time (bench/delegations.py)."""

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

UID = "00000000-0000-0000-0000-000000000000"


def _form(action, csrf, body, css='class="inline"'):
    return format_html(
        '<form method="post" action="{}" {}><input type="hidden" name="csrfmiddlewaretoken" value="{}">{}</form>',
        action,
        mark_safe(css),
        csrf,
        body,
    )


def _decisions(nomination, name, actions, csrf):
    uid = str(nomination.registration.uid)
    parts = []
    if nomination.state == "nominated":
        parts.append(
            _form(
                actions["pre_approve"].replace(UID, uid),
                csrf,
                format_html(
                    '<button type="submit" class="button-secondary">Pre-approve'
                    '<span class="visually-hidden"> {}</span></button>',
                    name,
                ),
            )
        )
    if nomination.state != "approved":
        parts.append(
            _form(
                actions["approve"].replace(UID, uid),
                csrf,
                format_html('<button type="submit">Approve<span class="visually-hidden"> {}</span></button>', name),
            )
        )
    parts.append(
        _form(
            actions["decline"].replace(UID, uid),
            csrf,
            format_html(
                '<label for="decline-{0}">Reason to decline<span class="visually-hidden"> {1}</span></label>'
                '<input type="text" name="reason" id="decline-{0}" maxlength="500" required>'
                '<button type="submit" class="button-danger">Decline<span class="visually-hidden"> {1}</span>'
                "</button>",
                uid,
                name,
            ),
            css='class="decline-form"',
        )
    )
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def nomination_rows(context, event, people):
    """One <tr> per nomination: the delegate, as what, the state with its
    reason and the registration's status, and (for those who may decide) the
    Secretariat's actions."""
    csrf = get_token(context["request"])
    actions = {
        action: reverse(f"desk:nomination_{action}", args=[event.slug, UID])
        for action in ("pre_approve", "approve", "decline")
    }
    rows = []
    for nomination in people:
        registration = nomination.registration
        name = registration.user.display_name
        if event.desk.organise and nomination.is_active:
            decide = _decisions(nomination, name, actions, csrf)
        elif nomination.is_active:
            decide = "—"
        else:
            decide = mark_safe('<span class="muted">decided</span>')
        reason = format_html("<br><small>Reason: {}</small>", nomination.reason) if nomination.reason else ""
        rows.append(
            (
                name,
                registration.user.email,
                registration.get_participation_type_display(),
                nomination.state,
                nomination.get_state_display(),
                reason,
                registration.get_status_display().lower(),
                decide,
            )
        )
    return format_html_join(
        "",
        '<tr><th scope="row">{}<br><small>{}</small></th><td data-label="Nominated as">{}</td>'
        '<td data-label="State"><span class="state state-{}">{}</span>{}<br><small>Registration {}</small></td>'
        '<td class="row-actions">{}</td></tr>',
        rows,
    )
