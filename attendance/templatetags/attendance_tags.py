from django import template

from .. import sessions as session_queries

register = template.Library()


@register.inclusion_tag("attendance/_desk_person.html")
def person_attendance(registration):
    """The sessions one person attended, for their desk page (two queries)."""
    return {"registration": registration, "attendance": session_queries.of_registration(registration)}
