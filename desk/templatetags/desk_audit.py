from django import template

from .. import activity

register = template.Library()


@register.inclusion_tag("desk/_history.html")
def registration_history(event, registration):
    """A registration's logged changes, newest first (one query)."""
    return {"event": event, "entries": activity.rows(activity.of_registration(registration), event, links=False)}
