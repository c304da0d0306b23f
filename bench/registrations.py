"""Registration throughput against PostgreSQL: 200 users, each logged in
beforehand through /accounts/login/, register at the same instant for an event
of 50 seats, served by gunicorn (2 workers x 8 threads) on loopback, beside the
trivial view measured on the same server in the same run.

    .venv/bin/python bench/registrations.py [--users 200] [--seats 50] [--seconds 5]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password; --server to
change): a database ipeg_bench_<random> is created and dropped at the end.

Latency is per request from the common start, so it includes the wait behind
the others: seats are given out one at a time under the event's row lock.

Targets: registrations/s ≥ 1% of the trivial view's req/s; 0 overbooked,
0 errors. Exits 1 when seats were overbooked, a request failed or the database
disagrees with the responses (never because of a wall-clock figure).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, bench_env, gunicorn, manage, measure, print_table, scratch_database, workdir

# allauth allows 30 login POSTs a minute per client IP (per worker, its cache is
# in-process); 200 users behind one address would be refused, so each group of
# this many users comes from its own loopback address, as real users come from
# their own machines.
USERS_PER_ADDRESS = 20

SETUP = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from demo.bench_data import ECONOMIES, make_synthetic
from registrations.models import ParticipantProfile

(event,) = make_synthetic(1, 5, 0, prefix="regbench")
event.capacity = SEATS
event.registration_opens_at = event.registration_closes_at = None
event.approval_required_for = []
event.save()
# One hash for all: hashing is what makes setup slow, and every login still
# verifies it at full cost.
password = make_password(PASSWORD)
User = get_user_model()
users = User.objects.bulk_create(
    [User(email=f"delegate-{n:04}@bench.example", password=password) for n in range(USERS)]
)
EmailAddress.objects.bulk_create(
    [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
)
ParticipantProfile.objects.bulk_create(
    [ParticipantProfile(user=user, full_name=f"Delegate {n}", economy=ECONOMIES[n % len(ECONOMIES)])
     for n, user in enumerate(users)]
)
print(json.dumps({"slug": event.slug, "emails": [user.email for user in users]}))
"""

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Participant:
    """One user's browser: cookies, the form token, and the source address that
    stands for their machine. A new connection per request, like measure()."""

    def __init__(self, port, email, source_ip):
        self.port, self.email, self.source_ip = port, email, source_ip
        self.cookies = {}
        self.token = None

    def request(self, method, path, fields=None, timeout=30.0):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=timeout, source_address=(self.source_ip, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    # Django deletes a cookie by sending it empty with Max-Age=0.
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.coded_value
            return response.status, response.getheader("Location", ""), content
        finally:
            connection.close()

    def form_token(self, page):
        match = CSRF_FIELD.search(page)
        if not match:
            raise RuntimeError(f"{self.email}: no CSRF token in the page")
        return match.group(1).decode()

    def log_in(self, password, register_path):
        status, _, page = self.request("GET", "/accounts/login/")
        if status != 200:
            raise RuntimeError(f"{self.email}: login page answered {status}")
        fields = {"login": self.email, "password": password, "csrfmiddlewaretoken": self.form_token(page)}
        status, location, _ = self.request("POST", "/accounts/login/", fields)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.email}: login answered {status} {location}")
        # Login rotates the CSRF secret, so the token comes from the form the
        # participant is about to submit.
        status, _, page = self.request("GET", register_path)
        if status != 200:
            raise RuntimeError(f"{self.email}: registration form answered {status}")
        self.token = self.form_token(page)


def log_everyone_in(participants, password, register_path, concurrency, deadline):
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(p.log_in, password, register_path) for p in participants]
        for future in as_completed(futures, timeout=max(deadline - time.monotonic(), 1)):
            future.result()


def burst(participants, register_path, deadline):
    """Every participant posts the registration form at once (released by a
    barrier); returns (started, finished, outcome, bytes) per participant."""
    barrier = threading.Barrier(len(participants))
    results = [None] * len(participants)

    def register(index, participant):
        fields = {
            "participation_type": "delegate",
            "economy": "NZ",
            "privacy_consent": "on",
            "csrfmiddlewaretoken": participant.token,
        }
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            return
        started = time.perf_counter()
        try:
            timeout = max(deadline - time.monotonic(), 1)
            status, location, content = participant.request("POST", register_path, fields, timeout=timeout)
            outcome = "ok" if (status, location) == (302, "/registrations/") else f"{status} {location}".strip()
            size = len(content)
        except OSError as error:
            outcome, size = type(error).__name__, 0
        results[index] = (started, time.perf_counter(), outcome, size)

    threads = [
        threading.Thread(target=register, args=(index, participant), daemon=True)
        for index, participant in enumerate(participants)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0))
    return results


def summarise(results):
    done = [result for result in results if result is not None]
    outcomes = {}
    for *_, outcome, _ in done:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    ok = outcomes.pop("ok", 0)
    latencies = sorted(finished - started for started, finished, _, _ in done)
    wall = max(finished for _, finished, _, _ in done) - min(started for started, _, _, _ in done)
    return {
        "path": "register",
        "requests": len(done),
        "ok": ok,
        "rps": ok / wall,
        "wall_s": wall,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        # Unfinished requests (past the deadline) count as errors too.
        "errors": len(results) - ok,
        "outcomes": outcomes,
        "bytes": max(size for *_, size in done),
    }


def seat_accounting(database_url, slug):
    seated = ("confirmed", "attended")
    with psycopg.connect(database_url, connect_timeout=10) as connection:
        row = connection.execute(
            """
            SELECT e.capacity,
                   count(r.id) FILTER (WHERE r.status = ANY(%(seated)s)),
                   count(r.id) FILTER (WHERE r.status = 'waitlisted'),
                   count(r.id) FILTER (WHERE r.status <> ALL(%(seated)s) AND r.status <> 'waitlisted'),
                   count(r.id),
                   count(DISTINCT r.user_id),
                   max(r.queued_at) FILTER (WHERE r.status = ANY(%(seated)s))
                       <= min(r.queued_at) FILTER (WHERE r.status = 'waitlisted')
            FROM events_event e LEFT JOIN registrations_registration r ON r.event_id = e.id
            WHERE e.slug = %(slug)s
            GROUP BY e.capacity
            """,
            {"slug": slug, "seated": list(seated)},
        ).fetchone()
    capacity, confirmed, waitlisted, other, total, people, in_order = row
    return {
        "capacity": capacity,
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "other": other,
        "rows": total,
        "duplicates": total - people,
        "overbooked": max(confirmed - capacity, 0),
        "in_order": in_order,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time of the trivial view")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    parser.add_argument("--timeout", type=float, default=120.0, help="bound on the registration burst, seconds")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL, no database")
    args = parser.parse_args()
    if args.users > USERS_PER_ADDRESS * 250:
        parser.error(f"at most {USERS_PER_ADDRESS * 250} users (one loopback address per {USERS_PER_ADDRESS})")

    password = secrets.token_urlsafe(16)
    with workdir() as work, scratch_database(args.server) as database_url:
        # kombu warns once per publishing thread that the file-system broker
        # has no hostname; server errors still log at ERROR, and the client
        # counts every unexpected answer anyway.
        env = bench_env(work, DATABASE_URL=database_url, LOG_LEVEL="ERROR")
        started = time.monotonic()
        manage(env, "migrate", "--noinput")
        setup = f"USERS, SEATS, PASSWORD = {args.users}, {args.seats}, {password!r}\n{SETUP}"
        made = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", setup],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
        ).stdout  # fmt: skip
        made = json.loads(made.strip().splitlines()[-1])
        register_path = f"/events/{made['slug']}/register/"
        print(f"data ready in {time.monotonic() - started:.1f}s (PostgreSQL, DEBUG off, {os.cpu_count()} cores)")

        server = ("--worker-class", "gthread", "--threads", str(args.threads))
        with gunicorn(env, workers=args.workers, extra_args=server) as port:
            participants = [
                Participant(port, email, f"127.0.0.{2 + n // USERS_PER_ADDRESS}")
                for n, email in enumerate(made["emails"])
            ]
            started = time.monotonic()
            log_everyone_in(participants, password, register_path, args.workers * args.threads, deadline=started + 300)
            print(
                f"{len(participants)} users logged in through /accounts/login/ in {time.monotonic() - started:.1f}s"
                " (not timed below)"
            )

            run = {"seconds": args.seconds, "concurrency": 4}
            trivial = measure(port, "/bench/trivial", **run)
            registrations = summarise(burst(participants, register_path, time.monotonic() + args.timeout))
            trivial_again = measure(port, "/bench/trivial", **run)

        seats = seat_accounting(database_url, made["slug"])

    baseline = statistics.mean([trivial["rps"], trivial_again["rps"]])
    print_table(
        f"Registration burst under gunicorn ({args.workers} workers x {args.threads} threads, PostgreSQL):"
        f" {args.users} users at once for {args.seats} seats; trivial view with 4 clients, {args.seconds:g}s",
        [
            ("trivial view (200 fixed bytes)", trivial, None),
            (f"register, {args.users} at once (reg/s)", registrations, 1),
        ],
        baseline,
    )
    print(
        f"(trivial view measured before and after: {trivial['rps']:.0f} and {trivial_again['rps']:.0f} req/s;"
        f" shares use their mean. Burst: {registrations['ok']} registrations in {registrations['wall_s']:.2f}s"
        " from the first request sent to the last answer.)"
    )
    for outcome, count in sorted(registrations["outcomes"].items()):
        print(f"  !! {count} answered {outcome}")

    expected_seated = min(args.seats, registrations["ok"])
    checks = [
        ("overbooked (confirmed beyond capacity)", seats["overbooked"], 0),
        ("errors (answer other than 302 /registrations/)", registrations["errors"], 0),
        ("confirmed", seats["confirmed"], expected_seated),
        ("waitlisted", seats["waitlisted"], registrations["ok"] - expected_seated),
        ("other statuses", seats["other"], 0),
        ("registrations stored vs. accepted", seats["rows"], registrations["ok"]),
        ("duplicates (same user twice)", seats["duplicates"], 0),
    ]
    print(f"\nSeats after the burst (capacity {seats['capacity']}, read from the database)")
    header = f"{'check':<48} {'found':>6} {'expected':>9}"
    print(header)
    print("-" * len(header))
    failed = False
    for label, found, expected in checks:
        failed |= found != expected
        print(f"{label:<48} {found:>6} {expected:>9} {'ok' if found == expected else 'WRONG'}")
    order = {True: "yes", False: "NO", None: "n/a (nobody waitlisted)"}[seats["in_order"]]
    print(f"seats went to the first to arrive: {order}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
