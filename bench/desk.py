"""The organiser desk's registrations page for an event of 2,000
registrations (unfiltered and filtered), served by gunicorn (2 workers) on
loopback beside the trivial view in the same run; its query count at 20 and
2,000 registrations; and a bulk approval of 500 pending registrations (one
lock of the event row per batch), timed in-process.

    .venv/bin/python bench/desk.py [--seconds 5] [--rounds 3]

Targets (issue 12, item 12): the page ≥ 2% of the trivial view's req/s; its
query count the same at 20 and 2,000 registrations (also asserted in
tests/registrations/test_desk_bulk.py); the bulk approval under one row lock,
its time printed. Exits 1 when the query counts differ or a batch took more
than one lock (never because of a wall-clock figure).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bench_env, gunicorn, manage, measure, print_with_baseline, run_in_django, workdir

PAGE_GOAL = 2.0  # % of the trivial view's req/s
ROWS, SMALL_ROWS, BULK = 2000, 20, 500

# Two events (2,000 and 20 registrations) with one organiser, signed in by a
# session made here (the cookie goes with every measured request). Of the
# 2,000, 500 wait for approval and capacity leaves 450 seats free, so the
# bulk approval seats 450 and waitlists 50, as at a real full event.
SETUP = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from demo.bench_data import make_synthetic
from registrations.models import ParticipantProfile, Registration

(event,) = make_synthetic(1, 0, ROWS, prefix="deskbench")
(small,) = make_synthetic(1, 0, SMALL_ROWS, prefix="deskbench-small")
pending = list(Registration.objects.filter(event=event).order_by("pk").values_list("pk", flat=True)[:BULK])
Registration.objects.filter(pk__in=pending).update(status="pending")
event.capacity = ROWS - BULK + 450
event.approval_required_for = ["delegate"]
event.save()
organiser = get_user_model().objects.create_user("organiser@deskbench.example", "not-used")
ParticipantProfile.objects.create(user=organiser, full_name="Desk Bench Organiser", economy="NZ")
event.organisers.add(organiser)
small.organisers.add(organiser)
client = Client()
client.force_login(organiser)
print(json.dumps({
    "slug": event.slug, "small": small.slug,
    "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
}))
"""

# The same page in-process, its queries counted, for both events.
QUERIES = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model

client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(email="organiser@deskbench.example"))
result = {}
for key, slug in SLUGS.items():
    for label, query in (("unfiltered", ""), ("filtered", FILTER)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/desk/events/{slug}/registrations/{query}")
        assert response.status_code == 200, response.status_code
        result[f"{key} {label}"] = len(queries)
print(json.dumps(result))
"""

# The bulk approval of the 500 pending registrations, ROUNDS times (put back
# to pending in between, outside the timing), with the event-row locks and
# the queries of each batch counted.
BULK_APPROVAL = """
import json, statistics, time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
from events.models import Event
from registrations import services
from registrations.models import Registration

event = Event.objects.get(slug=SLUG)
organiser = get_user_model().objects.get(email="organiser@deskbench.example")
pending = list(Registration.objects.filter(event=event, status="pending").order_by("pk"))
uids = [r.uid for r in pending]
locks = []
original = services._locked_event
def counting(event):
    locks.append(event.pk)
    return original(event)
services._locked_event = counting
timings, outcomes, query_counts, lock_counts = [], [], [], []
for _ in range(ROUNDS):
    Registration.objects.filter(pk__in=[r.pk for r in pending]).update(status="pending", status_reason="")
    locks.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        outcome = services.decide_many(event, uids, "approve", actor=organiser, reason="Nominated")
        timings.append((time.perf_counter() - started) * 1000)
    query_counts.append(len(queries))
    lock_counts.append(len(locks))
    outcomes.append(outcome.summary())
print(json.dumps({"ms": timings, "median_ms": statistics.median(timings), "summary": outcomes[-1],
                  "queries": query_counts, "locks": lock_counts}))
"""

FILTER = "?status=confirmed&economy=NZ&q=participant+1"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per target")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="bulk approvals to take the median of")
    args = parser.parse_args()

    with workdir() as work:
        env = bench_env(work)
        started = time.monotonic()
        manage(env, "migrate", "--noinput")
        setup = run_in_django(
            env, SETUP.replace("SMALL_ROWS", str(SMALL_ROWS)).replace("ROWS", str(ROWS)).replace("BULK", str(BULK))
        )
        print(f"data ready in {time.monotonic() - started:.1f}s (SQLite, DEBUG off, {os.cpu_count()} cores)")
        slug, headers = setup["slug"], {"Cookie": setup["cookie"]}

        queries = run_in_django(
            env,
            QUERIES.replace("SLUGS", repr({ROWS: slug, SMALL_ROWS: setup["small"]})).replace("FILTER", repr(FILTER)),
        )

        with gunicorn(env) as port:
            run = {"seconds": args.seconds, "concurrency": args.concurrency}
            trivial = measure(port, "/bench/trivial", **run)
            page = f"/desk/events/{slug}/registrations/"
            rows = [
                ("trivial view (200 fixed bytes)", trivial, None),
                (f"registrations, {ROWS:,}, page 1", measure(port, page, headers=headers, **run), PAGE_GOAL),
                (f"registrations, {ROWS:,}, filtered", measure(port, page + FILTER, headers=headers, **run), PAGE_GOAL),
                (
                    f"registrations, {ROWS:,}, page 40",
                    measure(port, page + "?page=40", headers=headers, **run),
                    PAGE_GOAL,
                ),
            ]
            trivial_again = measure(port, "/bench/trivial", **run)

        bulk = run_in_django(env, BULK_APPROVAL.replace("SLUG", repr(slug)).replace("ROUNDS", str(args.rounds)))

    title = f"Desk registrations page under gunicorn, {args.concurrency} concurrent clients, {args.seconds:g}s each"
    print_with_baseline(title, rows, trivial, trivial_again)
    print(f"\nQueries per registrations page (filter {FILTER}):")
    for label, count in queries.items():
        print(f"  {label:>20}: {count}")
    same = len({count for label, count in queries.items() if "unfiltered" in label}) == 1 and (
        len({count for label, count in queries.items() if "unfiltered" not in label}) == 1
    )
    print(f"  same at {SMALL_ROWS} and {ROWS:,} registrations: {'yes' if same else 'NO'}")
    print(f"\nBulk approval of {BULK} pending registrations (in-process, {args.rounds} rounds):")
    print(f"  {bulk['summary']}")
    print(f"  median {bulk['median_ms']:.0f} ms (rounds: {', '.join(f'{ms:.0f}' for ms in bulk['ms'])} ms)")
    print(f"  event-row locks per batch: {bulk['locks']}; queries per batch: {bulk['queries']}")
    if not same or any(locks != 1 for locks in bulk["locks"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
