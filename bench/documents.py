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
    documents.render_badges(event)  # warm-up: fonts and caches, paid by neither side
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
    documents.render_programme(event, version)  # warm-up: fonts and caches, paid by neither side
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
    parser.add_argument(
        "--badges-only", action="store_true", help="skip the programme (its 2,000-item render takes ~40 s)"
    )
    args = parser.parse_args()

    with workdir() as work:
        static_root = work / "static"
        env = bench_env(work, STATIC_ROOT=str(static_root), MEDIA_ROOT=str(work / "media"))
        manage(env, "migrate", "--noinput")
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


def event_slugs(env):
    script = "import json; from events.models import Event; print(json.dumps(list(Event.objects.values_list('slug', flat=True))))"
    return set(run_in_django(env, script))


def print_overheads(title, what, rows):
    print(f"\n{title}")
    print(f"{what:<16} {'PDF bytes':>10} {'ours s':>9} {'bare WeasyPrint s':>18} {'overhead':>9} {'goal':>10}")
    print("-" * 78)
    for label, row in rows:
        overhead = 100 * (row["ours"] - row["bare"]) / row["bare"]
        verdict = "≤10% " + ("ok" if overhead <= 10 else "MISSED")
        print(
            f"{label:<16} {row['bytes']:>10} {row['ours']:>9.2f} {row['bare']:>18.2f} {overhead:>8.1f}% {verdict:>10}"
        )


def serve_cached_programme(env, static_root, path, slug, seconds):
    # The same bytes as a static file, so WhiteNoise serves an identical body.
    (static_root / "bench").mkdir(parents=True)
    shutil.copy(path, static_root / "bench" / "programme.pdf")
    with gunicorn(env) as port:
        run = {"seconds": seconds, "concurrency": 4}
        trivial = measure(port, "/bench/trivial", **run)
        static = measure(port, "/static/bench/programme.pdf", **run)
        cached = measure(port, f"/events/{slug}/agenda.pdf", **run)
        trivial_again = measure(port, "/bench/trivial", **run)
    rows = [
        ("trivial view (200 fixed bytes)", trivial, None),
        ("static file, same PDF (WhiteNoise)", static, None),
        ("cached programme, 2,000 items", cached, None),
    ]
    title = f"Serving a {static['bytes']}-byte PDF under gunicorn, 4 clients, {seconds:g}s each"
    print_with_baseline(title, rows, trivial, trivial_again)
    share = 100 * cached["rps"] / static["rps"]
    print(
        f"cached programme at {share:.0f}% of the static file's rate (target ≥ 80%: {'ok' if share >= 80 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
