"""The printed programme for the shared 50, 500 and 2,000-item agendas: our
render time beside WeasyPrint rendering the very same HTML directly (target:
overhead ≤ 10%), and a cached programme served by gunicorn beside a static file
of the same size served by WhiteNoise (target: ≥ 80% of its rate).

    .venv/bin/python bench/documents.py [--seconds 5]
"""

import argparse
import shutil
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

BADGES = """
import json, statistics, time
from django.template.loader import render_to_string
from weasyprint import HTML
from events import documents as event_documents
from events.models import Event
from registrations import documents
result = {}
for size, slug in SLUGS.items():
    event = Event.objects.select_related("venue").get(slug=slug)
    ours, bare = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        pdf = documents.render_badges(event)
        ours.append(time.perf_counter() - started)
        html = render_to_string("pdf/badges.html", documents.badge_context(event))
        stylesheet = event_documents._stylesheet("badges.css")
        started = time.perf_counter()
        HTML(string=html).write_pdf(stylesheets=[stylesheet])
        bare.append(time.perf_counter() - started)
    result[size] = {"ours": statistics.median(ours), "bare": statistics.median(bare), "bytes": len(pdf)}
print(json.dumps(result))
"""

RENDER = """
import json, statistics, time
from django.template.loader import render_to_string
from weasyprint import HTML
from events import documents
from events.models import Event
result = {}
for slug in SLUGS:
    event = Event.objects.select_related("venue", "current_version").get(slug=slug)
    version = event.current_version
    ours, bare = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        pdf = documents.render_programme(event, version)
        ours.append(time.perf_counter() - started)
        html = render_to_string("pdf/programme.html", documents.programme_context(event, version))
        stylesheet = documents._stylesheet("programme.css")
        started = time.perf_counter()
        HTML(string=html).write_pdf(stylesheets=[stylesheet])
        bare.append(time.perf_counter() - started)
    documents.ensure_programme(version.pk)
    stored = Event.objects.select_related("current_version").get(pk=event.pk).current_version.programme.path
    result[slug] = {"ours": statistics.median(ours), "bare": statistics.median(bare), "bytes": len(pdf), "path": stored}
print(json.dumps(result))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with workdir() as work:
        static_root = work / "static"
        env = bench_env(work, STATIC_ROOT=str(static_root), MEDIA_ROOT=str(work / "media"))
        slugs = load_shared_agendas(env, SIZES, extra_events=0)
        script = RENDER.replace("SLUGS", repr([slugs[size] for size in SIZES])).replace("ROUNDS", str(args.rounds))
        renders = run_in_django(env, script)

        print(f"\nProgramme rendering, median of {args.rounds}, in-process")
        print(f"{'agenda':<16} {'PDF bytes':>10} {'ours s':>9} {'bare WeasyPrint s':>18} {'overhead':>9} {'goal':>10}")
        print("-" * 78)
        for size in SIZES:
            row = renders[slugs[size]]
            overhead = 100 * (row["ours"] - row["bare"]) / row["bare"]
            verdict = "≤10% " + ("ok" if overhead <= 10 else "MISSED")
            print(
                f"{size:>5} items{'':<6} {row['bytes']:>10} {row['ours']:>9.2f} {row['bare']:>18.2f} {overhead:>8.1f}% {verdict:>10}"
            )

        badge_slugs = {}
        for people in (50, 500):
            before = set(
                run_in_django(
                    env,
                    "import json; from events.models import Event; print(json.dumps(list(Event.objects.values_list('slug', flat=True))))",
                )
            )
            manage(env, "seed_bench", "--events", "1", "--sessions", "1", "--registrations", str(people))
            after = set(
                run_in_django(
                    env,
                    "import json; from events.models import Event; print(json.dumps(list(Event.objects.values_list('slug', flat=True))))",
                )
            )
            (badge_slugs[people],) = after - before
        badges = run_in_django(env, BADGES.replace("SLUGS", repr(badge_slugs)).replace("ROUNDS", str(args.rounds)))
        print(f"\nName badges, median of {args.rounds}, in-process")
        print(f"{'badges':<16} {'PDF bytes':>10} {'ours s':>9} {'bare WeasyPrint s':>18} {'overhead':>9} {'goal':>10}")
        print("-" * 78)
        for people in (50, 500):
            row = badges[str(people)]
            overhead = 100 * (row["ours"] - row["bare"]) / row["bare"]
            verdict = "≤10% " + ("ok" if overhead <= 10 else "MISSED")
            print(
                f"{people:>5} people{'':<5} {row['bytes']:>10} {row['ours']:>9.2f} {row['bare']:>18.2f} {overhead:>8.1f}% {verdict:>10}"
            )

        # The same bytes as a static file, so WhiteNoise serves an identical body.
        largest = renders[slugs[2000]]["path"]
        (static_root / "bench").mkdir(parents=True)
        shutil.copy(largest, static_root / "bench" / "programme.pdf")
        with gunicorn(env) as port:
            run = {"seconds": args.seconds, "concurrency": 4}
            trivial = measure(port, "/bench/trivial", **run)
            static = measure(port, "/static/bench/programme.pdf", **run)
            cached = measure(port, f"/events/{slugs[2000]}/agenda.pdf", **run)
            trivial_again = measure(port, "/bench/trivial", **run)
        rows = [
            ("trivial view (200 fixed bytes)", trivial, None),
            ("static file, same PDF (WhiteNoise)", static, None),
            ("cached programme, 2,000 items", cached, None),
        ]
        print_with_baseline(f"Serving a {static['bytes']}-byte PDF under gunicorn, 4 clients, {args.seconds:g}s each",
                            rows, trivial, trivial_again)  # fmt: skip
        share = 100 * cached["rps"] / static["rps"]
        print(
            f"cached programme at {share:.0f}% of the static file's rate (target ≥ 80%: {'ok' if share >= 80 else 'MISSED'})"
        )


if __name__ == "__main__":
    main()
