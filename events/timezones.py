"""Times are stored in UTC and shown in the venue's zone, with the zone named.
These helpers are the only place that converts between the two."""

import zoneinfo
from datetime import UTC
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import mark_safe


@cache
def all_zone_names():
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


@cache
def _zone_options():
    return "".join(f'<option value="{escape(name)}">{escape(name)}</option>' for name in all_zone_names())


def zone_options_html(selected=None):
    """The <option>s of every IANA zone. Built once per process: rendering
    ~600 choices through Django's widget machinery cost about 40 ms a page."""
    options = _zone_options()
    if selected is not None:
        chosen = f'<option value="{escape(selected.key)}">'
        options = options.replace(chosen, chosen[:-1] + " selected>", 1)
    return mark_safe(options)


def zone_or_none(name):
    if name and name in set(all_zone_names()):
        return zoneinfo.ZoneInfo(name)
    return None


def localize(naive, zone):
    """Attach a venue zone to a wall-clock time an organiser typed.

    A time inside a spring-forward gap does not exist there; guessing would put
    a session an hour off, so it is refused. In an autumn overlap the earlier
    (daylight-saving) reading is taken.
    """
    aware = naive.replace(tzinfo=zone, fold=0)
    try:
        round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        raise ValidationError(
            "%(time)s cannot be used: choose a date in a year between 1900 and 2999.",
            params={"time": naive.strftime("%d %b %Y %H:%M")},
        ) from None
    if round_trip != naive:
        raise ValidationError(
            "%(time)s does not exist in %(zone)s: the clocks go forward then. Choose a time outside the change.",
            params={"time": naive.strftime("%d %b %Y %H:%M"), "zone": zone.key},
        )
    return aware


def utc_offset(dt):
    offset = dt.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def zone_label(dt):
    """'NZDT, UTC+13:00' — or just 'UTC+08:00' where the zone database has no
    abbreviation (it then says '+08', which helps nobody)."""
    abbreviation = dt.tzname() or ""
    offset = utc_offset(dt)
    if not abbreviation or abbreviation[0] in "+-" or abbreviation == "UTC":
        return offset
    return f"{abbreviation}, {offset}"


def zone_place(zone):
    """The place an IANA zone is named after: 'Pacific/Auckland' -> 'Auckland',
    'America/Argentina/Buenos_Aires' -> 'Buenos Aires'."""
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def short_offset(dt):
    """'UTC+13', 'UTC+5:30', 'UTC-3', 'UTC+0' for an aware datetime."""
    minutes = int(dt.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def venue_time(value, zone, with_date=True):
    """A stored (UTC) time as the desk shows it: in the venue's zone, the zone
    named by its place and its offset then, e.g. '3 Mar 2031, 14:05 Auckland
    time (UTC+13)'. The offset is the one in force at that moment, so times
    either side of a daylight-saving change say so."""
    local = value.astimezone(zone)
    clock = f"{local.day} {local:%b %Y, %H:%M}" if with_date else f"{local:%H:%M}"
    return f"{clock} {zone_place(zone)} time ({short_offset(local)})"


# Where the zones of meeting venues are: the list organisers choose from leaves
# out the database's aliases of old (US/Eastern, EST5EDT, Etc/GMT+5), which the
# validator still accepts.
VENUE_REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@cache
def venue_zone_names():
    return [name for name in all_zone_names() if name.split("/", 1)[0] in VENUE_REGIONS] + ["UTC"]


def zones_with_offsets(now):
    """(name, 'Pacific/Auckland (UTC+13)') for every venue zone, with the
    offset it has at ``now`` (an aware datetime)."""
    return [(name, f"{name} ({short_offset(now.astimezone(zoneinfo.ZoneInfo(name)))})") for name in venue_zone_names()]


def city_label(dt):
    """How pages name a zone: 'Auckland time, UTC+13' for an aware datetime,
    with the offset in force at that moment; plain 'UTC' for UTC itself."""
    zone = dt.tzinfo
    key = getattr(zone, "key", "UTC")
    if key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return "UTC"
    return f"{zone_place(zone)} time, {short_offset(dt)}"
