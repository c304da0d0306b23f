from datetime import datetime

from django import template
from django.utils.html import format_html

from ..timezones import city_label, zone_label, zone_place
from ..timezones import venue_time as venue_time_text

register = template.Library()


@register.filter
def in_zone(value, zone):
    """A UTC datetime as wall-clock time of the given zone (a ZoneInfo).

    Returned naive on purpose: Django's ``date`` filter converts aware values
    back to the active zone (UTC here), which would undo the conversion.
    """
    if not value:
        return value
    return value.astimezone(zone).replace(tzinfo=None)


@register.filter
def zone_name(value, zone):
    if not value:
        return ""
    return zone_label(value.astimezone(zone))


@register.filter
def iso_in_zone(value, zone):
    """A UTC ISO string (as kept in changelogs) as venue wall-clock time."""
    if not value:
        return ""
    return datetime.fromisoformat(value).astimezone(zone).strftime("%a %d %b %H:%M")


@register.filter
def venue_time(value, where):
    """A stored time in the venue's zone, zone named: '3 Mar 2031, 14:05
    Auckland time (UTC+13)'. ``where`` is an event (or anything with ``tz``)
    or a ZoneInfo. The one way the desk shows a time."""
    if not value:
        return ""
    return venue_time_text(value, getattr(where, "tz", where))


@register.filter
def zone_city(value, zone):
    """The zone as pages name it: 'Auckland time, UTC+13' (the offset in force
    at ``value``, a stored time), the IANA name in its tooltip. ``zone`` is a
    ZoneInfo or anything with ``tz`` (an event)."""
    zone = getattr(zone, "tz", zone)
    if not value or zone is None:
        return ""
    return format_html('<span class="zone-city" title="{}">{}</span>', zone.key, city_label(value.astimezone(zone)))


@register.filter
def zone_city_name(zone):
    """'Auckland time', the IANA name in its tooltip, for headings whose
    offsets are given beside them (a day's, which change with daylight saving)."""
    zone = getattr(zone, "tz", zone)
    if zone is None:
        return ""
    return format_html('<span class="zone-city" title="{}">{} time</span>', zone.key, zone_place(zone))
