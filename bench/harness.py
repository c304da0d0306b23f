"""Shared benchmark machinery: a throw-away database, gunicorn on loopback, and
a bounded closed-loop load generator. Every figure is printed beside the
trivial view measured the same way in the same run."""

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_BENCH = ROOT.parent / "shared" / "bench"
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(workdir, **extra):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "VAR_DIR": str(workdir / "var"),
            "ROOT_URLCONF": "bench.urls",
            "LOG_LEVEL": "WARNING",
            # Persistent connections, as production runs (opening SQLite per request costs ~10 ms).
            "CONN_MAX_AGE": "60",
            # No collectstatic in a throw-away run; WhiteNoise would warn per worker.
            "PYTHONWARNINGS": "ignore:No directory at",
        }
    )
    env.update(extra)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def workdir():
    with tempfile.TemporaryDirectory(prefix="ipeg-bench-") as path:
        yield Path(path)


@contextmanager
def gunicorn(env, workers=2, extra_args=()):
    """``extra_args`` go to gunicorn as given, e.g. ("--threads", "8") for gthread workers."""
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--log-level", "warning", *extra_args,
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _request(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def measure(port, path, *, seconds=5.0, concurrency=4, headers=None, expect=200):
    """Requests/second and median/p95 latency of ``path`` over a fixed time,
    after a warm-up that fills per-worker caches. Bounded in time and count."""
    for _ in range(concurrency * 2):
        status, _ = _request(port, path, headers)
        if status != expect:
            raise RuntimeError(f"{path} answered {status}, expected {expect}")
    latencies, errors, size = [], [0], [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    max_requests = 200_000

    def loop():
        local = []
        while time.monotonic() < stop_at and len(local) < max_requests:
            started = time.perf_counter()
            status, length = _request(port, path, headers)
            local.append(time.perf_counter() - started)
            if status != expect:
                errors[0] += 1
            size[0] = length
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors[0],
        "bytes": size[0],
    }


def print_table(title, rows, baseline_rps):
    print(f"\n{title}")
    header = (
        f"{'target':<34} {'bytes':>9} {'req/s':>9} {'median ms':>10} {'p95 ms':>8} {'% of trivial':>13} {'goal':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, row, goal in rows:
        share = 100 * row["rps"] / baseline_rps
        verdict = "" if goal is None else (f"≥{goal}% " + ("ok" if share >= goal else "MISSED"))
        print(
            f"{label:<34} {row['bytes']:>9} {row['rps']:>9.1f} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f}"
            f" {share:>12.2f}% {verdict:>8}"
        )
        if row["errors"]:
            print(f"  !! {row['errors']} unexpected responses")


def load_shared_agendas(env, sizes, extra_events=40):
    """Load the shared bench agendas (and some small events for lists) into
    the throw-away database; returns {size: slug}."""
    manage(env, "migrate", "--noinput")
    slugs = {}
    for size in sizes:
        path = SHARED_BENCH / f"agenda-{size}.json"
        manage(env, "seed_bench", "--agenda-json", str(path))
        slugs[size] = json.loads(path.read_text())["event"]["slug"]
    if extra_events:
        manage(env, "seed_bench", "--events", str(extra_events), "--sessions", "10", "--registrations", "0")
    return slugs


def run_in_django(env, script):
    """Run a script in the app's process (manage.py shell) and return the JSON
    it prints last."""
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def print_with_baseline(title, rows, trivial, trivial_again):
    """The table, with shares of the mean of the trivial view measured before and after."""
    print_table(title, rows, statistics.mean([trivial["rps"], trivial_again["rps"]]))
    print(
        f"(trivial view measured before and after: {trivial['rps']:.0f} and {trivial_again['rps']:.0f} req/s;"
        " shares use their mean)"
    )


@contextmanager
def scratch_database(server):
    """A throw-away PostgreSQL database (``server`` like postgres://user@host:port)."""
    import psycopg
    from psycopg import sql

    name = f"ipeg_bench_{secrets.token_hex(6)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=10) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{server}/{name}"
    finally:
        # FORCE ends sessions a killed run may have left behind.
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=10) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
