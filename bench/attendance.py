"""Attendance per session, in-process on SQLite: marking 2,000 people present
in one session one by one (each its own transaction, as at the door), the
desk's attendance page for an event of 2,000 registrations and 40 sessions
with every person marked in every session (80,000 marks) beside one of 20
registrations, and the worst case of checking a room code (a stale code
typed at the end of a long session, every step since it opened looked at).

    .venv/bin/python bench/attendance.py

Exits 1 when the page's query count differs between the two sizes (never
because of a wall-clock figure).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bench_env, manage, run_in_django, workdir

ROWS, SMALL_ROWS, SESSIONS = 2000, 20, 40

SCRIPT = """
import json, statistics, time
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from attendance import room_codes, services
from attendance.models import AttendanceMark
from demo.bench_data import make_synthetic
from registrations.models import ParticipantProfile, Registration

(event,) = make_synthetic(1, SESSIONS, ROWS, prefix="attendancebench")
(small,) = make_synthetic(1, SESSIONS, SMALL_ROWS, prefix="attendancebench-small")
organiser = get_user_model().objects.create_user("organiser@attendancebench.example", "not-used")
ParticipantProfile.objects.create(user=organiser, full_name="Attendance Bench Organiser", economy="NZ")
result = {}

items = list(event.current_version.items.order_by("starts_at"))
first = items[0]
registrations = list(Registration.objects.filter(event=event).select_related("event__venue", "user__profile"))
timings = []
for registration in registrations:
    started = time.perf_counter()
    services.mark(registration, first.uid, mode="in_person", source="door_scan", actor=organiser, now=first.starts_at)
    timings.append((time.perf_counter() - started) * 1000)
result["mark_median_ms"] = statistics.median(timings)
result["mark_p95_ms"] = sorted(timings)[int(len(timings) * 0.95)]

for each in (event, small):
    people = Registration.objects.filter(event=each).values_list("pk", flat=True)
    AttendanceMark.objects.bulk_create(
        (AttendanceMark(registration_id=pk, item_uid=item.uid, mode="remote" if pk % 3 else "in_person",
                        source="desk", marked_at=item.starts_at)
         for pk in people for item in each.current_version.items.all()),
        batch_size=2000, ignore_conflicts=True,
    )
    each.organisers.add(organiser)
result["marks"] = AttendanceMark.objects.filter(registration__event=event).count()

client = Client(HTTP_HOST="localhost")
client.force_login(organiser)
for label, each in (("large", event), ("small", small)):
    client.get(f"/desk/events/{each.slug}/attendance/")  # warm
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(f"/desk/events/{each.slug}/attendance/")
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    result[f"page_{label}_ms"] = statistics.median(timings)
    result[f"page_{label}_queries"] = len(queries)

opened = first.starts_at - timedelta(hours=8)
now = first.starts_at
started = time.perf_counter()
for _ in range(20):
    try:
        room_codes.check(event, first.uid, "ZZZZZZ", now, opened)
    except room_codes.CodeRefused:
        pass
result["wrong_code_ms"] = (time.perf_counter() - started) * 1000 / 20
print(json.dumps(result))
"""


def main():
    with workdir() as work:
        env = bench_env(work)
        started = time.monotonic()
        manage(env, "migrate", "--noinput")
        script = SCRIPT.replace("SMALL_ROWS", str(SMALL_ROWS)).replace("ROWS", str(ROWS))
        result = run_in_django(env, script.replace("SESSIONS", str(SESSIONS)))
    print(f"done in {time.monotonic() - started:.1f}s (SQLite, DEBUG off, {os.cpu_count()} cores)")
    print(f"Marking {ROWS:,} people present in one session, one transaction each:")
    print(f"  median {result['mark_median_ms']:.1f} ms, p95 {result['mark_p95_ms']:.1f} ms per mark")
    print(f"Desk attendance page ({SESSIONS} sessions; {result['marks']:,} marks at {ROWS:,} registrations):")
    for label, rows in (("large", ROWS), ("small", SMALL_ROWS)):
        ms, queries = result[f"page_{label}_ms"], result[f"page_{label}_queries"]
        print(f"  {rows:>6,} registrations: median {ms:.0f} ms, {queries} queries")
    print(f"A wrong room code 8 hours into a session's window: {result['wrong_code_ms']:.2f} ms to refuse")
    if result["page_large_queries"] != result["page_small_queries"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
