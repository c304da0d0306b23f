"""Agenda page and event list for the shared 50, 500 and 2,000-item agendas,
served by gunicorn (2 workers) on loopback, beside a trivial view.

    .venv/bin/python bench/pages.py [--seconds 5]

Targets (issue 2): agenda at 500 items ≥ 1% of the trivial view's req/s,
at 2,000 items ≥ 0.3%. Also prints the cold render time of each agenda (what
the first request after a publication pays), measured in-process.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bench_env, gunicorn, load_shared_agendas, measure, print_with_baseline, run_in_django, workdir

SIZES = {50: None, 500: 1.0, 2000: 0.3}

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
    args = parser.parse_args()

    with workdir() as work:
        env = bench_env(work)
        started = time.monotonic()
        slugs = load_shared_agendas(env, SIZES)
        print(f"data ready in {time.monotonic() - started:.1f}s (SQLite, DEBUG off, {os.cpu_count()} cores)")

        cold = run_in_django(env, COLD_RENDER.replace("SLUGS", repr(list(slugs.values()))))

        with gunicorn(env) as port:
            run = {"seconds": args.seconds, "concurrency": args.concurrency}
            trivial = measure(port, "/bench/trivial", **run)
            rows = [("trivial view (200 fixed bytes)", trivial, None)]
            rows.append(("event list /events/?when=all", measure(port, "/events/?when=all", **run), None))
            for size, goal in SIZES.items():
                rows.append((f"agenda, {size} items", measure(port, f"/events/{slugs[size]}/agenda/", **run), goal))
            trivial_again = measure(port, "/bench/trivial", **run)

        title = f"Pages under gunicorn, {args.concurrency} concurrent clients, {args.seconds:g}s each"
        print_with_baseline(title, rows, trivial, trivial_again)
        print("\nCold render of a published agenda (first request after publishing; cached afterwards):")
        for size in SIZES:
            print(f"  {size:>5} items: {cold[slugs[size]]:8.1f} ms (median of 5, in-process)")


if __name__ == "__main__":
    main()
