"""10,000 due reminders through one Celery worker (4 processes on 2 cores, as
docker-compose.yml runs it: sending waits on the network) on Redis into
an SMTP sink on loopback: time until the last one arrives and messages/second,
beside a plain smtplib loop sending the same messages to the same sink over
one connection in the same run (the ratio is the figure; target ≥ 0.5).

    .venv/bin/python bench/reminders.py [--count 10000]

Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (a database
ipeg_bench_* is created and dropped).
"""

import argparse
import pickle
import smtplib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import VENV_BIN, bench_env, manage, run_in_django, scratch_database, workdir
from tests.processes import Background
from tests.smtp_sink import free_port
from tests.smtp_sink import start as start_sink

SETUP = """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from events.models import Event, Venue
from registrations.models import ParticipantProfile, Registration

now = timezone.now().replace(microsecond=0)
venue = Venue.objects.create(name="Aotea Centre", city="Auckland", economy="NZ", timezone="Pacific/Auckland")
event = Event.objects.create(slug="reminder-bench", title="Reminder bench workshop", status="published", venue=venue,
    starts_at=now + timedelta(days=1, minutes=-1), ends_at=now + timedelta(days=1, hours=6), reminder_offsets=[1440])
password = make_password(None)
users = get_user_model().objects.bulk_create(
    (get_user_model()(email=f"p{n}@example.org", password=password) for n in range(COUNT)), batch_size=2000)
ParticipantProfile.objects.bulk_create(
    (ParticipantProfile(user=u, full_name=f"Participant {n}", economy="NZ") for n, u in enumerate(users)), batch_size=2000)
Registration.objects.bulk_create(
    (Registration(event=event, user=u, status="confirmed", queued_at=now) for u in users), batch_size=2000)
print(json.dumps({"ok": True}))
"""

# The baseline sends exactly what the app would send: the messages are built by
# the app's own code for every delivery row, pickled, then sent by plain smtplib.
BUILD_MESSAGES = """
import json, pickle
from registrations import notifications, reminders
from registrations.models import Delivery
reminders.plan()
messages = [
    (m.from_email, m.recipients(), m.message().as_bytes(linesep="\\r\\n"))
    for m in (notifications.build_delivery(d) for d in
              Delivery.objects.select_related("registration__event__venue", "registration__user__profile"))
]
with open(PATH, "wb") as handle:
    pickle.dump(messages, handle)
Delivery.objects.all().delete()  # the worker run plans them afresh
print(json.dumps({"built": len(messages)}))
"""


def plain_smtplib(port, messages):
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for sender, recipients, content in messages:
            connection.sendmail(sender, recipients, content)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument(
        "--processes", type=int, default=4, help="worker processes (one worker; 4 as docker-compose.yml runs it)"
    )
    args = parser.parse_args()

    import redis
    from celery import Celery

    redis.Redis.from_url(args.redis).flushdb()
    broker = Celery(broker=args.redis)
    port = free_port()
    with workdir() as work, scratch_database(args.server) as database:
        env = bench_env(
            work, DATABASE_URL=database, REDIS_URL=args.redis, EMAIL_URL=f"smtp://127.0.0.1:{port}", LOG_LEVEL="ERROR"
        )
        manage(env, "migrate", "--noinput")
        started = time.monotonic()
        run_in_django(env, SETUP.replace("COUNT", str(args.count)))
        messages_path = work / "messages.pickle"
        built = run_in_django(env, BUILD_MESSAGES.replace("PATH", repr(str(messages_path))))["built"]
        print(f"{args.count} registrations and {built} messages ready in {time.monotonic() - started:.0f}s")
        with open(messages_path, "rb") as handle:
            messages = pickle.load(handle)  # noqa: S301 - our own file, written just above

        sink, controller = start_sink(port)
        try:
            baseline_before = plain_smtplib(port, messages)
            if sink.count() != built:
                raise RuntimeError(f"the sink got {sink.count()} of {built} baseline messages")
            sink.clear()

            command = [
                str(VENV_BIN / "celery"),
                "-A",
                "config",
                "worker",
                f"--concurrency={args.processes}",
                "--loglevel=ERROR",
            ]
            with Background(*command, env=env, log=work / "worker.log") as worker:
                time.sleep(4)  # let the worker connect before the clock starts
                started = time.perf_counter()
                started_monotonic = time.monotonic()
                # As beat does it: the periodic task goes through the broker, and
                # the worker plans, claims and sends.
                broker.send_task("registrations.tasks.dispatch_due")
                deadline = time.monotonic() + 900
                while sink.count() < built and time.monotonic() < deadline and worker.process.poll() is None:
                    time.sleep(0.05)
                elapsed = time.perf_counter() - started
            delivered = sink.count()
            unique = len(set(sink.message_ids()))
            arrivals = sorted(sink.arrivals)
            sink.clear()
            # Measured again after the app: this machine's speed drifts, and the
            # ratio uses the mean of the two.
            baseline_after = plain_smtplib(port, messages)
        finally:
            controller.stop()

    print(
        f"\nReminders: {args.count} due, one worker ({args.processes} processes), Redis broker, PostgreSQL, "
        "SMTP sink on loopback"
    )
    print(f"{'path':<46} {'messages':>9} {'seconds':>9} {'msg/s':>9}")
    print("-" * 76)
    for label, seconds in (("before", baseline_before), ("after", baseline_after)):
        print(
            f"{'plain smtplib loop, one connection, ' + label:<46} {built:>9} {seconds:>9.2f} {built / seconds:>9.1f}"
        )
    print(
        f"{'app: plan + claim + Celery worker + send':<46} {delivered:>9} {elapsed:>9.2f} {delivered / elapsed:>9.1f}"
    )
    baseline_rate = (built / baseline_before + built / baseline_after) / 2
    ratio = (delivered / elapsed) / baseline_rate
    if len(arrivals) >= 10:
        tenth, ninetieth = arrivals[len(arrivals) // 10], arrivals[len(arrivals) * 9 // 10]
        print(
            f"first message after {arrivals[0] - started_monotonic:.2f} s (planning, first claim); "
            f"steady rate between 10% and 90% arrived: {0.8 * len(arrivals) / (ninetieth - tenth):.1f} msg/s"
        )
    print(
        f"\nratio app / plain smtplib (mean of before and after, {baseline_rate:.1f} msg/s): {ratio:.2f} "
        f"(target ≥ 0.5: {'ok' if ratio >= 0.5 else 'MISSED'})"
    )
    print(f"delivered {delivered} of {built}, distinct Message-IDs {unique} (duplicates {delivered - unique})")
    return 0 if delivered == built == unique else 1


if __name__ == "__main__":
    sys.exit(main())
