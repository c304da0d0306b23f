"""Agenda page and event list for the shared 50, 500 and 2,000-item agendas,
served by gunicorn (2 workers) on loopback, beside a trivial view.

    .venv/bin/python bench/pages.py [--seconds 5] [--wrk-seconds 5]

Two tables, each with its own baseline measured in the same run:

- the closed-loop Python client (4 clients) beside the project's own trivial
  view. Targets (issue 2): agenda at 500 items ≥ 1% of the trivial view's
  req/s, at 2,000 items ≥ 0.3%.
- Debian's wrk (-t2 -c16), measured as other event tools were (issue 13),
  beside a bare Django project's trivial view (bench/bare/: no middleware, no
  apps) under gunicorn with 2 sync workers, measured between every two rows
  (harness.wrk_beside_bare): the agenda page for an anonymous
  reader (≥ 10% at 500 items, ≥ 5% at 2,000; wrk asks for no compression, as
  in the comparison) and its 304 when the page sends validators, and at 500
  and 2,000 items as browsers ask for it (Accept-Encoding: gzip, deflate, br); for a signed-in reader with stars on every tenth session and a
  chosen zone (≥ 3% at 500); the event page for that reader, registered
  (≥ 3% at 500). The project's own trivial view is a row there too.

Also prints the cold render time of each agenda (what the first request after
a publication pays) and the agenda page's query count at each size for both
readers, measured in-process; exits 1 when the counts differ between sizes
(never because of a wall-clock figure).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bare_gunicorn,
    bench_env,
    browser_cookie,
    gunicorn,
    load_shared_agendas,
    measure,
    print_beside_bare,
    print_with_baseline,
    run_in_django,
    validators,
    workdir,
    wrk,
    wrk_beside_bare,
)

SIZES = {50: None, 500: 1.0, 2000: 0.3}
# Issue 13, shares of the bare Django trivial view under wrk.
ANONYMOUS_GOALS = {500: 10.0, 2000: 5.0}
SIGNED_IN_GOALS = {500: 3.0}
EVENT_PAGE_GOALS = {500: 3.0}
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
READER_ZONE = "Europe/Paris"
READER_EMAIL = "reader@pagebench.example"

# A participant with a verified address and a profile, registered for every
# bench event, who starred every tenth session of each and chose a zone: in
# the profile when it has a zone field, else (as the page took it before) in
# the query string. Signed in by a session made here; its cookie goes with
# every signed-in request.
READER = """
import json
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from events.models import Event, PublishedItem
from registrations import services
from registrations.models import ParticipantProfile, StarredItem

user = get_user_model().objects.create_user(EMAIL, "not-used")
EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
profile = ParticipantProfile.objects.create(user=user, full_name="Page Bench Reader", economy="CL")
zone_field = next(
    (f.name for f in ParticipantProfile._meta.concrete_fields if "zone" in f.name or f.name == "tz"), None
)
if zone_field:
    setattr(profile, zone_field, ZONE)
    profile.save()
result = {"zone_via": f"profile.{zone_field}" if zone_field else "query", "events": {}}
for slug in SLUGS:
    event = Event.objects.get(slug=slug)
    uids = PublishedItem.objects.filter(version_id=event.current_version_id).order_by("starts_at", "pk")
    uids = list(uids.values_list("uid", flat=True))
    starred = StarredItem.objects.bulk_create(
        [StarredItem(user=user, event=event, item_uid=uid) for uid in uids[::10]]
    )
    registration = services.register(event, user)
    result["events"][slug] = {"items": len(uids), "starred": len(starred), "status": registration.status}
client = Client()
client.force_login(user)
result["cookie"] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
print(json.dumps(result))
"""

# The agenda page's queries, counted in-process for each size, anonymous and
# signed in (after one request each, so cached as under load).
QUERIES = """
import json
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

anonymous = Client(HTTP_HOST="localhost")
reader = Client(HTTP_HOST="localhost")
reader.force_login(get_user_model().objects.get(email=EMAIL))
result = {}
for label, client, query in (("anonymous", anonymous, ""), ("signed in", reader, QUERY)):
    for slug in SLUGS:
        path = f"/events/{slug}/agenda/{query}"
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        result[f"{label} {slug}"] = len(queries)
print(json.dumps(result))
"""

COLD_RENDER = """
import json, statistics, time
from django.core.cache import cache
from events.agenda import rendered_agenda
from events.models import Event
result = {}
for slug in SLUGS:
    event = Event.objects.select_related("venue", "current_version").get(slug=slug)
    timings = []
    for _ in range(5):
        cache.clear()
        started = time.perf_counter()
        rendered_agenda(event, event.current_version)
        timings.append((time.perf_counter() - started) * 1000)
    result[slug] = statistics.median(timings)
print(json.dumps(result))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per target")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--wrk-seconds", type=float, default=5.0, help="wrk's time per target")
    args = parser.parse_args()

    with workdir() as work:
        env = bench_env(work)
        started = time.monotonic()
        slugs = load_shared_agendas(env, SIZES)
        print(f"data ready in {time.monotonic() - started:.1f}s (SQLite, DEBUG off, {os.cpu_count()} cores)")

        cold = run_in_django(env, COLD_RENDER.replace("SLUGS", repr(list(slugs.values()))))
        reader = run_in_django(
            env,
            READER.replace("SLUGS", repr(list(slugs.values())))
            .replace("EMAIL", repr(READER_EMAIL))
            .replace("ZONE", repr(READER_ZONE)),
        )
        zone_query = f"?tz={READER_ZONE}" if reader["zone_via"] == "query" else ""
        queries = run_in_django(
            env,
            QUERIES.replace("SLUGS", repr(list(slugs.values())))
            .replace("EMAIL", repr(READER_EMAIL))
            .replace("QUERY", repr(zone_query)),
        )

        with gunicorn(env) as port, bare_gunicorn() as bare_port:
            run = {"seconds": args.seconds, "concurrency": args.concurrency}
            trivial = measure(port, "/bench/trivial", **run)
            rows = [("trivial view (200 fixed bytes)", trivial, None)]
            rows.append(("event list /events/?when=all", measure(port, "/events/?when=all", **run), None))
            for size, goal in SIZES.items():
                rows.append((f"agenda, {size} items", measure(port, f"/events/{slugs[size]}/agenda/", **run), goal))
            trivial_again = measure(port, "/bench/trivial", **run)

            targets = wrk_targets(port, slugs, reader["cookie"], zone_query, args.wrk_seconds)
            wrk_rows, bare = wrk_beside_bare(bare_port, targets, args.wrk_seconds)

        title = f"Pages under gunicorn, {args.concurrency} concurrent clients, {args.seconds:g}s each"
        print_with_baseline(title, rows, trivial, trivial_again)

        title = (
            f"Pages under gunicorn (2 sync workers), wrk -t2 -c16, {args.wrk_seconds:g}s each,"
            " beside a bare Django project's trivial view (no middleware)"
        )
        print_beside_bare(title, wrk_rows, bare)
        events = reader["events"].values()
        statuses = ", ".join(sorted({event["status"] for event in events}))
        starred = ", ".join(f"{event['starred']} of {event['items']}" for event in events)
        print(
            f"Signed-in reader: registered ({statuses}), sessions starred {starred},"
            f" zone {READER_ZONE} chosen in the {reader['zone_via']}"
        )

        print("\nCold render of a published agenda (first request after publishing; cached afterwards):")
        for size in SIZES:
            print(f"  {size:>5} items: {cold[slugs[size]]:8.1f} ms (median of 5, in-process)")

        print("\nQueries of the agenda page (in-process, cached as under load):")
        same = True
        for label in ("anonymous", "signed in"):
            counts = [queries[f"{label} {slugs[size]}"] for size in SIZES]
            same = same and len(set(counts)) == 1
            print(f"  {label:<10} " + ", ".join(f"{n} at {size} items" for size, n in zip(SIZES, counts, strict=True)))
        if not same:
            print("!! the query count grows with the agenda")
            sys.exit(1)


def wrk_targets(port, slugs, cookie, zone_query, seconds):
    """The wrk table's targets: (label, measure, goal); a 304 row only when the
    page sends a validator. The signed-in reader sends back the cookies the
    agenda page sets (its CSRF cookie), as a browser does."""
    signed_in = {"Cookie": browser_cookie(port, f"/events/{slugs[50]}/agenda/{zone_query}", cookie)}

    def run(path, headers=None, expect=200):
        return lambda: wrk(port, path, headers, seconds=seconds, expect=expect)

    def not_modified(path, headers=None):
        def measure_304():
            conditional = validators(port, path, headers)
            return (
                wrk(port, path, {**(headers or {}), **conditional}, seconds=seconds, expect=304)
                if conditional
                else None
            )

        return measure_304

    targets = [("project's trivial view (its middleware)", run("/bench/trivial"), None)]
    for size in SIZES:
        path = f"/events/{slugs[size]}/agenda/"
        targets.append((f"agenda, {size} items, anonymous", run(path), ANONYMOUS_GOALS.get(size)))
        targets.append((f"agenda, {size} items, anonymous, 304", not_modified(path), None))
        if size in ANONYMOUS_GOALS:  # as browsers ask for it
            targets.append((f"agenda, {size} items, anonymous, gzip", run(path, GZIP), None))
    for size in SIZES:
        path = f"/events/{slugs[size]}/agenda/{zone_query}"
        label = f"agenda, {size} items, signed in, stars + zone"
        targets.append((label, run(path, signed_in), SIGNED_IN_GOALS.get(size)))
        targets.append((f"{label}, 304", not_modified(path, signed_in), None))
    for size in SIZES:
        label = f"event page ({size} items), registered reader"
        targets.append((label, run(f"/events/{slugs[size]}/", signed_in), EVENT_PAGE_GOALS.get(size)))
    return targets


if __name__ == "__main__":
    main()
