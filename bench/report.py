"""The completion report of an event of 2,000 participants, 20 sessions and
1,500 evaluation responses: its desk page, the XLSX and the PDF served by
gunicorn (2 workers) on loopback beside the trivial view in the same run;
in-process medians of building the report's data, the XLSX and the PDF; and
the page's query count at 20 and at 2,000 participants.

    .venv/bin/python bench/report.py [--seconds 5] [--rounds 5]

Target (issue 14, item 11): the report page ≥ 1% of the trivial view's
req/s; its query count the same at 20 and 2,000 participants (also asserted
in tests/reports/test_pages.py). Exits 1 when the query counts differ or
two builds of the XLSX differ (never because of a wall-clock figure).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bench_env, gunicorn, manage, measure, print_with_baseline, run_in_django, workdir

PAGE_GOAL = 1.0  # % of the trivial view's req/s
PARTICIPANTS, SMALL, SESSIONS, RESPONSES = 2000, 20, 20, 1500

# Two events (2,000 and 20 registrations, 20 sessions each), their people of
# every economy, sex, role, funding and way of taking part (seeded, so every
# run has the same data); each seated person marked in about half the
# sessions; an evaluation of four questions (a 1–5 scale, a choice, free
# text from about one in three, and a per-session scale) answered RESPONSES
# times. One organiser, signed in by a session made here.
SETUP = """
import json, random
from datetime import timedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from attendance.models import AttendanceMark
from demo.bench_data import make_synthetic
from evaluation.models import Answer, Question, Response, Survey
from events.economies import Economy
from events.participation import ParticipationType
from registrations.models import Funding, ParticipantProfile, ParticipationMode, Registration, Sex

rng = random.Random(14)
def fill(event, responses):
    registrations = list(Registration.objects.filter(event=event))
    for registration in registrations:
        registration.status = rng.choice(["confirmed"] * 8 + ["attended"] * 3 + ["cancelled"])
        registration.economy = rng.choice(Economy.values)
        registration.sex = rng.choice([*Sex.values, ""])
        registration.participation_type = rng.choice(ParticipationType.values)
        registration.funding = rng.choice(Funding.values)
        registration.participation_mode = rng.choice(ParticipationMode.values)
    Registration.objects.bulk_update(
        registrations, ["status", "economy", "sex", "participation_type", "funding", "participation_mode"],
        batch_size=500,
    )
    items = list(event.current_version.items.all())
    now = timezone.now()
    AttendanceMark.objects.bulk_create(
        [
            AttendanceMark(registration=r, item_uid=item.uid, mode=rng.choice(["in_person"] * 3 + ["remote"]),
                           source="desk", marked_at=now)
            for r in registrations if r.status != "cancelled"
            for item in rng.sample(items, len(items) // 2)
        ],
        batch_size=2000,
    )
    survey = Survey.objects.create(event=event, title="Evaluation", status="closed", opens_at=event.ends_at,
                                   closes_at=event.ends_at + timedelta(days=14))
    scale, choice, text, per_session = Question.objects.bulk_create([
        Question(survey=survey, position=1, kind="scale", text="Overall, how useful was the workshop?"),
        Question(survey=survey, position=2, kind="choice", text="Will you apply it?", choices=["Yes", "No", "Partly"]),
        Question(survey=survey, position=3, kind="text", text="What should change?"),
        Question(survey=survey, position=4, kind="scale", text="How useful was this session?", per_session=True),
    ])
    made = Response.objects.bulk_create([Response(survey=survey) for _ in range(responses)], batch_size=2000)
    answers = []
    for response in made:
        answers.append(Answer(response=response, question=scale, scale=rng.randint(1, 5)))
        answers.append(Answer(response=response, question=choice, choice=rng.choice(["Yes", "No", "Partly"])))
        if rng.random() < 0.33:
            answers.append(Answer(response=response, question=text, text=f"Comment number {rng.randint(1, 10**6)}"))
        answers.append(Answer(response=response, question=per_session, item_uid=rng.choice(items).uid,
                              scale=rng.randint(1, 5)))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(answers)

(event,) = make_synthetic(1, SESSIONS, PARTICIPANTS, prefix="reportbench")
(small,) = make_synthetic(1, SESSIONS, SMALL, prefix="reportbench-small")
answers = fill(event, RESPONSES)
fill(small, SMALL // 2)
organiser = get_user_model().objects.create_user("organiser@reportbench.example", "not-used")
ParticipantProfile.objects.create(user=organiser, full_name="Report Bench Organiser", economy="NZ")
event.organisers.add(organiser)
small.organisers.add(organiser)
client = Client()
client.force_login(organiser)
print(json.dumps({
    "slug": event.slug, "small": small.slug, "answers": answers,
    "seated": Registration.objects.filter(event=event, status__in=Registration.SEATED).count(),
    "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
}))
"""

# In-process: the page's queries at both sizes, and medians of building the
# data, the XLSX and the PDF (ROUNDS each), with the files' sizes.
IN_PROCESS = """
import json, statistics, time
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from events.models import Event
from reports import completion, documents, spreadsheet

client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(email="organiser@reportbench.example"))
queries = {}
for key, slug in SLUGS.items():
    client.get(f"/desk/events/{slug}/report/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/desk/events/{slug}/report/")
    assert response.status_code == 200, response.status_code
    queries[key] = len(captured)

event = Event.objects.select_related("venue").get(slug=SLUG)
def timed(make):
    runs = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = make()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), result

build_ms, report = timed(lambda: completion.build([event], event.title))
shared_ms, shared = timed(lambda: report.as_shared())
xlsx_ms, xlsx = timed(lambda: spreadsheet.build(shared))
pdf_ms, pdf = timed(lambda: documents.render(shared))
exact_pdf_ms, exact_pdf = timed(lambda: documents.render(report))
print(json.dumps({
    "queries": queries, "build_ms": build_ms, "shared_ms": shared_ms, "xlsx_ms": xlsx_ms, "pdf_ms": pdf_ms,
    "exact_pdf_ms": exact_pdf_ms, "xlsx_bytes": len(xlsx), "pdf_bytes": len(pdf),
    "xlsx_same": spreadsheet.build(completion.build([event], event.title).as_shared()) == xlsx,
}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per target")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5, help="in-process builds to take the median of")
    args = parser.parse_args()

    with workdir() as work:
        env = bench_env(work)
        started = time.monotonic()
        manage(env, "migrate", "--noinput")
        script = SETUP
        for name, value in (("PARTICIPANTS", PARTICIPANTS), ("SESSIONS", SESSIONS), ("RESPONSES", RESPONSES)):
            script = script.replace(name, str(value))
        setup = run_in_django(env, script.replace("SMALL", str(SMALL)))
        print(
            f"data ready in {time.monotonic() - started:.1f}s (SQLite, DEBUG off, {os.cpu_count()} cores): "
            f"{PARTICIPANTS:,} registrations ({setup['seated']:,} seated), {SESSIONS} sessions, "
            f"{RESPONSES:,} evaluation responses ({setup['answers']:,} answers)"
        )
        slug, headers = setup["slug"], {"Cookie": setup["cookie"]}
        figures = run_in_django(
            env,
            IN_PROCESS.replace("SLUGS", repr({PARTICIPANTS: slug, SMALL: setup["small"]}))
            .replace("SLUG", repr(slug))
            .replace("ROUNDS", str(args.rounds)),
        )

        with gunicorn(env) as port:
            run = {"seconds": args.seconds, "concurrency": args.concurrency, "headers": headers}
            trivial = measure(port, "/bench/trivial", seconds=args.seconds, concurrency=args.concurrency)
            base = f"/desk/events/{slug}/report"
            rows = [
                ("trivial view (200 fixed bytes)", trivial, None),
                (f"report page, {PARTICIPANTS:,} participants", measure(port, base + "/", **run), PAGE_GOAL),
                ("report page, as shared", measure(port, base + "/?version=shared", **run), PAGE_GOAL),
                ("report XLSX (shared)", measure(port, base + ".xlsx", **run), None),
                ("report PDF (shared)", measure(port, base + ".pdf", **run), None),
            ]
            trivial_again = measure(port, "/bench/trivial", seconds=args.seconds, concurrency=args.concurrency)

    title = f"Completion report under gunicorn, {args.concurrency} concurrent clients, {args.seconds:g}s each"
    print_with_baseline(title, rows, trivial, trivial_again)
    print(f"\nIn-process medians of {args.rounds} runs ({PARTICIPANTS:,} participants):")
    print(f"  report data (all queries):   {figures['build_ms']:8.1f} ms")
    print(f"  shared copy (suppression):   {figures['shared_ms']:8.1f} ms")
    print(f"  XLSX:                        {figures['xlsx_ms']:8.1f} ms, {figures['xlsx_bytes']:,} bytes")
    print(f"  PDF, shared:                 {figures['pdf_ms']:8.1f} ms, {figures['pdf_bytes']:,} bytes")
    print(f"  PDF, exact:                  {figures['exact_pdf_ms']:8.1f} ms")
    print(f"  XLSX built twice, same bytes: {'yes' if figures['xlsx_same'] else 'NO'}")
    print("\nQueries per report page:")
    for size, count in figures["queries"].items():
        print(f"  {int(size):>6,} participants: {count}")
    same = len(set(figures["queries"].values())) == 1
    print(f"  same at {SMALL} and {PARTICIPANTS:,} participants: {'yes' if same else 'NO'}")
    if not same or not figures["xlsx_same"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
