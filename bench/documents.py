"""The printed programme for the shared 50, 500 and 2,000-item agendas: our
render time beside WeasyPrint rendering the very same HTML directly (target:
overhead ≤ 10%), and a cached programme served by gunicorn beside a static file
of the same size served by WhiteNoise (target: ≥ 80% of its rate). The
public lists (documents.pdf, participants.pdf) at 50 and 500 rows: a request
that prints the list beside one answered from the stored copy.

    .venv/bin/python bench/documents.py [--seconds 5] [--badges-only | --lists-only]
"""

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bench_env,
    gunicorn,
    load_shared_agendas,
    manage,
    measure,
    print_with_baseline,
    run_in_django,
    workdir,
)

SIZES = (50, 500, 2000)

# Shared by both scripts below: ours (the app's render function) and bare
# (WeasyPrint on the same HTML and stylesheet, as a direct caller would write
# it) alternate which goes first in each round, so that drift in the machine's
# speed weighs on both alike; "own" is the time spent in our code before
# WeasyPrint starts (context, template, stylesheet).
COMPARE = """
import json, statistics, time
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from django.contrib.staticfiles import finders


def compare(render, template, context, stylesheet, rounds):
    render()  # warm-up: fonts and caches, paid by neither side
    ours, bare, own = [], [], []

    def run_ours():
        started = time.perf_counter()
        pdf = render()
        ours.append(time.perf_counter() - started)
        return pdf

    def run_bare():
        started = time.perf_counter()
        html = render_to_string(template, context())
        css = CSS(filename=finders.find(f"pdf/{stylesheet}"))
        own.append(time.perf_counter() - started)
        started = time.perf_counter()
        HTML(string=html).write_pdf(stylesheets=[css])
        bare.append(time.perf_counter() - started)

    for number in range(rounds):
        if number % 2:
            run_bare()
            pdf = run_ours()
        else:
            pdf = run_ours()
            run_bare()
    return {"ours": statistics.median(ours), "bare": statistics.median(bare), "own": statistics.median(own), "bytes": len(pdf)}
"""

BADGES = (
    COMPARE
    + """
from events.models import Event
from registrations import documents
result = {}
for size, slug in SLUGS.items():
    event = Event.objects.select_related("venue").get(slug=slug)
    result[size] = compare(
        lambda: documents.render_badges(event), "pdf/badges.html", lambda: documents.badge_context(event),
        "badges.css", ROUNDS,
    )
print(json.dumps(result))
"""
)

RENDER = (
    COMPARE
    + """
from events import documents
from events.models import Event
result = {}
for slug in SLUGS:
    event = Event.objects.select_related("venue", "current_version").get(slug=slug)
    version = event.current_version
    result[slug] = compare(
        lambda: documents.render_programme(event, version), "pdf/programme.html",
        lambda: documents.programme_context(event, version), "programme.css", ROUNDS,
    )
    documents.ensure_programme(version.pk)
    result[slug]["path"] = Event.objects.select_related("current_version").get(pk=event.pk).current_version.programme.path
print(json.dumps(result))
"""
)


LIST_SIZES = (50, 500)

# One event per size with that many meeting documents (one in five for
# registered participants only) and that many confirmed participants who agreed
# to be listed. A request through Django's test client, in-process: "printed"
# deletes the stored copies first, so the request renders; "stored" is the same
# request again. Lists over the inline limit go to the worker in production
# (the reader sees a progress page); here the limit is lifted so the request
# itself prints them and the render time shows.
LISTS = """
import json, statistics, time
from django.test import Client
from events import rendered_lists
from events.models import DocumentRevision, Event, MeetingDocument, RenderedList
from registrations.models import Registration

rendered_lists.INLINE_RENDER_LIMIT = 10**9
client = Client(HTTP_HOST="localhost")
result = {}
for size, slug in SLUGS.items():
    event = Event.objects.get(slug=slug)
    Registration.objects.filter(event=event).update(share_in_public_list=True)
    documents = MeetingDocument.objects.bulk_create([
        MeetingDocument(event=event, title=f"Paper {n} on industrial design practice", sequence=n,
                        number=f"2031/SOM1/IPEG/{slug}/{n:03d}", access="registered" if n % 5 == 0 else "public")
        for n in range(1, size + 1)
    ])
    DocumentRevision.objects.bulk_create([
        DocumentRevision(document=d, revision=1, file="documents/x.pdf", original_name="x.pdf",
                         content_type="application/pdf", size=1)
        for d in documents
    ])
    for name, path in (("documents", f"/events/{slug}/documents.pdf"), ("participants", f"/events/{slug}/participants.pdf")):
        printed, stored = [], []
        for _ in range(ROUNDS):
            RenderedList.objects.all().delete()
            started = time.perf_counter()
            response = client.get(path)
            body = b"".join(response.streaming_content)
            printed.append(time.perf_counter() - started)
            assert response.status_code == 200 and body.startswith(b"%PDF-"), response.status_code
        for _ in range(STORED_ROUNDS):
            started = time.perf_counter()
            response = client.get(path)
            again = b"".join(response.streaming_content)
            stored.append(time.perf_counter() - started)
            assert again == body
        result[f"{name} {size}"] = {
            "printed": statistics.median(printed), "stored": statistics.median(stored), "bytes": len(body)
        }
print(json.dumps(result))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--badges-only", action="store_true", help="skip the programme (its 2,000-item render takes ~40 s)"
    )
    parser.add_argument("--lists-only", action="store_true", help="only the public lists, printed and stored")
    args = parser.parse_args()

    with workdir() as work:
        static_root = work / "static"
        env = bench_env(work, STATIC_ROOT=str(static_root), MEDIA_ROOT=str(work / "media"))
        manage(env, "migrate", "--noinput")
        if args.lists_only:
            bench_lists(env, args.rounds)
            return
        if not args.badges_only:
            slugs = load_shared_agendas(env, SIZES, extra_events=0)
            script = RENDER.replace("SLUGS", repr([slugs[size] for size in SIZES])).replace("ROUNDS", str(args.rounds))
            renders = run_in_django(env, script)
            print_overheads(
                f"Programme rendering, median of {args.rounds}, in-process", "agenda",
                [(f"{size} items", renders[slugs[size]]) for size in SIZES],
            )  # fmt: skip
        badge_slugs = {}
        for people in (50, 500):
            before = event_slugs(env)
            manage(env, "seed_bench", "--events", "1", "--sessions", "1", "--registrations", str(people))
            (badge_slugs[people],) = event_slugs(env) - before
        badges = run_in_django(env, BADGES.replace("SLUGS", repr(badge_slugs)).replace("ROUNDS", str(args.rounds)))
        print_overheads(
            f"Name badges, median of {args.rounds}, in-process", "badges",
            [(f"{people} people", badges[str(people)]) for people in (50, 500)],
        )  # fmt: skip
        if not args.badges_only:
            serve_cached_programme(env, static_root, renders[slugs[2000]]["path"], slugs[2000], args.seconds)
            bench_lists(env, args.rounds)


def bench_lists(env, rounds, stored_rounds=50):
    slugs = {}
    for size in LIST_SIZES:
        before = event_slugs(env)
        manage(env, "seed_bench", "--events", "1", "--sessions", "0", "--registrations", str(size))
        (slugs[size],) = event_slugs(env) - before
    script = LISTS.replace("SLUGS", repr(slugs)).replace("STORED_ROUNDS", str(stored_rounds))
    result = run_in_django(env, script.replace("ROUNDS", str(rounds)))
    print(f"\nPublic lists per request, in-process: median of {rounds} printed, of {stored_rounds} from storage")
    print(f"{'list':<20} {'PDF bytes':>10} {'printed ms':>11} {'stored ms':>10} {'printed/stored':>15}")
    print("-" * 70)
    for label, row in result.items():
        print(
            f"{label:<20} {row['bytes']:>10} {row['printed'] * 1000:>11.1f} {row['stored'] * 1000:>10.2f}"
            f" {row['printed'] / row['stored']:>14.0f}×"
        )
    print("(documents: the anonymous reader's copy, public documents only; participants: those who agreed)")


def event_slugs(env):
    script = "import json; from events.models import Event; print(json.dumps(list(Event.objects.values_list('slug', flat=True))))"
    return set(run_in_django(env, script))


def print_overheads(title, what, rows):
    print(f"\n{title}")
    print(
        f"{what:<16} {'PDF bytes':>10} {'ours s':>9} {'bare WeasyPrint s':>18} {'overhead':>9} {'goal':>10}"
        f" {'own code s':>11}"
    )
    print("-" * 90)
    for label, row in rows:
        overhead = 100 * (row["ours"] - row["bare"]) / row["bare"]
        verdict = "≤10% " + ("ok" if overhead <= 10 else "MISSED")
        print(
            f"{label:<16} {row['bytes']:>10} {row['ours']:>9.2f} {row['bare']:>18.2f} {overhead:>8.1f}% {verdict:>10}"
            f" {row['own']:>11.3f}"
        )
    print("(own code: context, template and stylesheet before WeasyPrint starts, timed on the bare side)")


def serve_cached_programme(env, static_root, path, slug, seconds, rounds=3):
    # The same bytes as a static file, so WhiteNoise serves an identical body.
    (static_root / "bench").mkdir(parents=True)
    shutil.copy(path, static_root / "bench" / "programme.pdf")
    run = {"seconds": seconds, "concurrency": 4}
    static_runs, cached_runs = [], []
    with gunicorn(env) as port:
        trivial = measure(port, "/bench/trivial", **run)
        # Alternated, so that a machine slowing down or speeding up during the
        # run weighs on both sides alike.
        for _ in range(rounds):
            static_runs.append(measure(port, "/static/bench/programme.pdf", **run))
            cached_runs.append(measure(port, f"/events/{slug}/agenda.pdf", **run))
        trivial_again = measure(port, "/bench/trivial", **run)
    static, cached = combined(static_runs), combined(cached_runs)
    rows = [
        ("trivial view (200 fixed bytes)", trivial, None),
        ("static file, same PDF (WhiteNoise)", static, None),
        ("cached programme, 2,000 items", cached, None),
    ]
    title = (
        f"Serving a {static['bytes']}-byte PDF under gunicorn, 4 clients, {rounds} alternated rounds of {seconds:g}s"
    )
    print_with_baseline(title, rows, trivial, trivial_again)
    share = 100 * cached["rps"] / static["rps"]
    rounds_text = ", ".join(f"{100 * c['rps'] / s['rps']:.0f}%" for s, c in zip(static_runs, cached_runs, strict=True))
    print(
        f"cached programme at {share:.0f}% of the static file's rate (rounds: {rounds_text}; "
        f"target ≥ 80%: {'ok' if share >= 80 else 'MISSED'})"
    )


def combined(runs):
    """Rounds of one target as one: mean rate, median latencies of the rounds."""
    return {
        "rps": statistics.mean(r["rps"] for r in runs),
        "median_ms": statistics.median(r["median_ms"] for r in runs),
        "p95_ms": statistics.median(r["p95_ms"] for r in runs),
        "bytes": runs[0]["bytes"],
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "path": runs[0]["path"],
    }


if __name__ == "__main__":
    main()
