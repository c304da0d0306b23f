"""Calendar feeds for the shared 50, 500 and 2,000-item agendas, served by
gunicorn (2 workers) on loopback, beside the trivial view in the same run:
a full 200 (a client without a validator), the same compressed (calendar
clients send Accept-Encoding: gzip) and a 304 (a client polling with
If-None-Match), plus /events/feed.ics.

    .venv/bin/python bench/feeds.py [--seconds 5] [--wrk-seconds 5]

Targets (issue 4), as shares of the trivial view's req/s: 304 ≥ 50%; full 200
at 500 items ≥ 3%, at 2,000 items ≥ 1%.

A second table measures as other event tools were measured (issue 13):
Debian's wrk (-t2 -c16) beside a bare Django project's trivial view
(bench/bare/: no middleware, no apps) under gunicorn with 2 sync workers in
the same run, measured between every two rows (harness.wrk_beside_bare): compressed agenda.ics (Accept-Encoding: gzip, as calendar
clients send) at 50, 500 and 2,000 items (target ≥ 25% at 2,000), the
uncompressed 2,000-item feed and its 304, and the compressed /events/feed.ics;
the project's own trivial view is a row there too.

Also prints the one-off build time of each feed (what the first request after
a change pays), measured in-process.
"""

import argparse
import http.client
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bare_gunicorn,
    bench_env,
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

SIZES = {50: (None, None), 500: (3.0, 50.0), 2000: (1.0, 50.0)}
# Issue 13: the compressed 2,000-item agenda at >= 25% of the bare Django
# trivial view, under wrk (the wrk table).
COMPRESSED_GOALS = {2000: 25.0}
GZIP = {"Accept-Encoding": "gzip"}

BUILD_TIME = """
import json, statistics, time
from events import calendar
from events.models import Event, PublishedItem, RemovedItem
result = {}
for slug in SLUGS:
    event = Event.objects.select_related("venue").get(slug=slug)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        body = calendar.agenda_feed(event, list(PublishedItem.objects.filter(version_id=event.current_version_id)),
                                    RemovedItem.objects.filter(event=event))
        timings.append((time.perf_counter() - started) * 1000)
    result[slug] = [statistics.median(timings), len(body)]
print(json.dumps(result))
"""


def etag_of(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("ETag")


def wrk_targets(port, slugs, seconds):
    """The wrk table's targets: (label, measure, goal)."""

    def run(path, headers=None, expect=200):
        return lambda: wrk(port, path, headers, seconds=seconds, expect=expect)

    def not_modified(path, headers):
        return lambda: wrk(port, path, {**headers, **validators(port, path, headers)}, seconds=seconds, expect=304)

    targets = [
        ("project's trivial view (its middleware)", run("/bench/trivial"), None),
        ("/events/feed.ics, gzip", run("/events/feed.ics", GZIP), None),
    ]
    for size in SIZES:
        path = f"/events/{slugs[size]}/agenda.ics"
        targets.append((f"agenda.ics {size} items, gzip", run(path, GZIP), COMPRESSED_GOALS.get(size)))
    path = f"/events/{slugs[2000]}/agenda.ics"
    targets.append(("agenda.ics 2000 items, uncompressed", run(path), None))
    targets.append(("agenda.ics 2000 items, gzip, 304", not_modified(path, GZIP), None))
    return targets


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per target")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--wrk-seconds", type=float, default=5.0, help="wrk's time per target")
    args = parser.parse_args()

    with workdir() as work:
        env = bench_env(work)
        slugs = load_shared_agendas(env, SIZES)
        built = run_in_django(env, BUILD_TIME.replace("SLUGS", repr(list(slugs.values()))))

        with gunicorn(env) as port, bare_gunicorn() as bare_port:
            run = {"seconds": args.seconds, "concurrency": args.concurrency}
            trivial = measure(port, "/bench/trivial", **run)
            rows = [("trivial view (200 fixed bytes)", trivial, None)]
            rows.append(("/events/feed.ics, full 200", measure(port, "/events/feed.ics", **run), None))
            for size, (full_goal, not_modified_goal) in SIZES.items():
                path = f"/events/{slugs[size]}/agenda.ics"
                rows.append((f"agenda.ics {size} items, full 200", measure(port, path, **run), full_goal))
                rows.append((f"agenda.ics {size} items, full 200 gzip", measure(port, path, headers=GZIP, **run), None))
                validator = {"If-None-Match": etag_of(port, path)}
                rows.append(
                    (f"agenda.ics {size} items, 304", measure(port, path, headers=validator, expect=304, **run),
                     not_modified_goal)
                )  # fmt: skip
            trivial_again = measure(port, "/bench/trivial", **run)

            wrk_rows, bare = wrk_beside_bare(bare_port, wrk_targets(port, slugs, args.wrk_seconds), args.wrk_seconds)

        title = f"Calendar feeds under gunicorn, {args.concurrency} concurrent clients, {args.seconds:g}s each"
        print_with_baseline(title, rows, trivial, trivial_again)
        title = (
            f"Calendar feeds under gunicorn (2 sync workers), wrk -t2 -c16, {args.wrk_seconds:g}s each,"
            " beside a bare Django project's trivial view (no middleware)"
        )
        print_beside_bare(title, wrk_rows, bare)
        print("\nOne-off build of each agenda feed (first request after a change; cached afterwards):")
        for size in SIZES:
            milliseconds, size_bytes = built[slugs[size]]
            print(f"  {size:>5} items: {milliseconds:8.1f} ms, {size_bytes:>9} bytes (median of 3, in-process)")


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"\n(total {time.monotonic() - started:.0f}s)")
