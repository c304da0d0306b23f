"""{% add_to_calendar event %} / {% add_to_calendar event item %} and
{% subscribe_calendar links "what" %}: the calendar menus, a plain <details>
list of links that needs no script. The links are the same for every reader,
so they may sit in cached, shared HTML (the agenda's)."""

from django import template

from .. import calendar_links

register = template.Library()


@register.inclusion_tag("includes/add_to_calendar.html")
def add_to_calendar(event, item=None, name=""):
    links = calendar_links.item_links(event, item) if item is not None else calendar_links.event_links(event)
    return {"links": links, "name": name or (item.title if item is not None else event.title)}


@register.inclusion_tag("includes/subscribe_calendar.html")
def subscribe_calendar(links, summary="Subscribe in your calendar", name=""):
    return {"links": links, "summary": summary, "name": name}


@register.simple_tag
def agenda_subscribe_links(event):
    return calendar_links.agenda_subscribe_links(event)


@register.simple_tag
def all_events_subscribe_links():
    return calendar_links.all_events_subscribe_links()
