"""Shared benchmark machinery: a throw-away database, gunicorn on loopback, and
a bounded closed-loop load generator. Every figure is printed beside the
trivial view measured the same way in the same run.

For figures that compare with other event tools (issue 13) there is also
Debian's wrk (``wrk -t2 -c16``, ``wrk()``) and, as its baseline, a bare Django
project's trivial view (``bench/bare/``: no middleware, no apps) under
gunicorn with 2 sync workers (``bare_gunicorn()``), run beside the app."""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
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
def gunicorn(env, workers=2, extra_args=(), app="config.wsgi"):
    """``extra_args`` go to gunicorn as given, e.g. ("--threads", "8") for gthread workers."""
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
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


BARE_TRIVIAL_PATH = "/trivial"


@contextmanager
def bare_gunicorn(workers=2):
    """The bare Django project (bench/bare/: one view of 200 fixed bytes, no
    middleware, no apps, no database) under gunicorn with ``workers`` sync
    workers; yields its port. Its trivial view is at BARE_TRIVIAL_PATH."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
    with gunicorn(env, workers=workers, app="bench.bare.wsgi") as port:
        yield port


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


WRK_BIN = "wrk"
_WRK_TIME = re.compile(r"([\d.]+)(us|ms|s|m|h)$")
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _wrk_ms(text):
    match = _WRK_TIME.match(text.strip())
    if match is None:
        raise ValueError(f"wrk printed a time I cannot read: {text!r}")
    return float(match.group(1)) * _WRK_UNITS[match.group(2)]


def parse_wrk(output):
    """Requests/sec, latency percentiles (ms), request count and errors from
    ``wrk --latency`` output."""
    found = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if found is None:
        raise ValueError(f"no Requests/sec in wrk's output:\n{output}")
    result = {"rps": float(found.group(1))}
    for percent, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M):
        result[f"p{percent}_ms"] = _wrk_ms(value)
    result["median_ms"] = result["p50_ms"]
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    result["requests"] = int(total.group(1)) if total else 0
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(int(n) for n in sockets.groups()) if sockets else 0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["errors"] = int(bad.group(1)) if bad else 0
    return result


def wrk(port, path, headers=None, *, seconds=5.0, threads=2, connections=16, expect=200):
    """``path`` under Debian's wrk (``wrk -t2 -c16 -d{seconds}s --latency``),
    headers given with -H (a ``Cookie`` for a signed-in reader). First checks
    the answer's status (a signed-out redirect must not pass for a page) and
    size, and warms the workers' caches with a one-second run. Returns a row
    as ``measure`` does (rps, median_ms, p99_ms, bytes, errors)."""
    if shutil.which(WRK_BIN) is None:
        raise SystemExit("wrk is missing: install Debian's wrk package (./scripts/setup.sh test does, as root)")
    headers = headers or {}
    status, size = _request(port, path, headers)
    if status != expect:
        raise RuntimeError(f"{path} answered {status}, expected {expect}")
    url = f"http://127.0.0.1:{port}{path}"
    options = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    subprocess.run(
        [WRK_BIN, "-t1", "-c4", "-d1s", *options, url], check=True, capture_output=True, text=True, timeout=60
    )
    command = [
        WRK_BIN, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
        "--timeout", "10s", *options, url,
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=seconds + 120).stdout
    row = parse_wrk(output)
    row.update({"path": path, "bytes": size})
    status, _ = _request(port, path, headers)
    if status != expect:
        row["errors"] += 1
    return row


def print_table(title, rows, baseline_rps, tail="p95", share_of="trivial"):
    print(f"\n{title}")
    header = (
        f"{'target':<44} {'bytes':>9} {'req/s':>9} {'median ms':>10} {tail + ' ms':>8}"
        f" {'% of ' + share_of:>13} {'goal':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, row, goal in rows:
        share = 100 * row["rps"] / row.get("baseline_rps", baseline_rps)
        verdict = "" if goal is None else (f"≥{goal}% " + ("ok" if share >= goal else "MISSED"))
        print(
            f"{label:<44} {row['bytes']:>9} {row['rps']:>9.1f} {row['median_ms']:>10.2f} {row[tail + '_ms']:>8.2f}"
            f" {share:>12.2f}% {verdict:>8}"
        )
        if row["errors"]:
            print(f"  !! {row['errors']} unexpected responses")
        if row.get("socket_errors"):
            print(f"  (wrk counted {row['socket_errors']} socket errors)")


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
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise RuntimeError(f"a script in the app's process failed (exit {done.returncode}), its errors above")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_with_baseline(title, rows, trivial, trivial_again, tail="p95", baseline="trivial view", share_of="trivial"):
    """The table, with shares of the mean of the trivial view measured before and after."""
    print_table(title, rows, statistics.mean([trivial["rps"], trivial_again["rps"]]), tail, share_of)
    print(
        f"({baseline} measured before and after: {trivial['rps']:.0f} and {trivial_again['rps']:.0f} req/s;"
        " shares use their mean)"
    )


def wrk_beside_bare(bare_port, targets, seconds):
    """Each target under wrk with the bare trivial view measured between every
    two (on a machine whose load drifts, a row's share is taken against the
    mean of the bare view just before and just after it). ``targets`` are
    (label, measure, goal), ``measure()`` returning a wrk row or None to leave
    the target out. Returns (rows with their "baseline_rps", bare rows)."""
    bare = [wrk(bare_port, BARE_TRIVIAL_PATH, seconds=seconds)]
    rows = []
    for label, measure_target, goal in targets:
        row = measure_target()
        if row is None:
            continue
        bare.append(wrk(bare_port, BARE_TRIVIAL_PATH, seconds=seconds))
        row["baseline_rps"] = statistics.mean([bare[-2]["rps"], bare[-1]["rps"]])
        rows.append((label, row, goal))
    mean_rps = statistics.mean(row["rps"] for row in bare)
    summary = {
        "path": BARE_TRIVIAL_PATH,
        "bytes": bare[0]["bytes"],
        "rps": mean_rps,
        "baseline_rps": mean_rps,
        "median_ms": statistics.median(row["median_ms"] for row in bare),
        "p99_ms": statistics.median(row["p99_ms"] for row in bare),
        "errors": sum(row["errors"] for row in bare),
        "socket_errors": sum(row["socket_errors"] for row in bare),
    }
    return [("bare Django trivial view (mean of all runs)", summary, None), *rows], bare


def print_beside_bare(title, rows, bare):
    print_table(title, rows, None, tail="p99", share_of="bare")
    figures = [row["rps"] for row in bare]
    print(
        f"(bare Django trivial view measured {len(figures)} times, between every two rows:"
        f" {min(figures):.0f}-{max(figures):.0f} req/s, mean {statistics.mean(figures):.0f};"
        " each row's share is against the mean of the measurements just before and after it;"
        " the bare row: mean req/s, median of medians and of p99s)"
    )


def browser_cookie(port, path, cookie):
    """``cookie`` (a Cookie header's value) with the cookies ``path`` sets
    added, as a browser keeps them: a page with forms sets the CSRF cookie,
    and until it comes back every answer sets a new one (and its ETag, which
    names the CSRF cookie the page's forms rely on, changes each time)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return "; ".join([cookie, *(f"{name}={morsel.value}" for name, morsel in jar.items())])


def validators(port, path, headers=None):
    """The conditional-request headers a client would send back for ``path``
    (If-None-Match from an ETag, If-Modified-Since from Last-Modified), or {}."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    sent = {}
    if response.getheader("ETag"):
        sent["If-None-Match"] = response.getheader("ETag")
    if response.getheader("Last-Modified"):
        sent["If-Modified-Since"] = response.getheader("Last-Modified")
    return sent


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
