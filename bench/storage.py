"""A 5 MB meeting document downloaded through the permission-checking view
(`events/document_views.py:download`, streamed by `events/stored_files.py`)
from local storage and from an S3-compatible server (moto's stand-alone server
on loopback, its own process, as a deployment's MinIO would be), beside the
same bytes as a static file through WhiteNoise; in one run, in alternated
rounds, because this machine's speed drifts. Target: the S3-backed download at
≥ 50% of the local one's rate.

Two S3 figures: with the web node's verified copy (events/stored_files.py:
every download after a node's first of a file), and streamed (the copy turned
off, so every download is one GET relayed from the store, as a node's first).

A bare boto3 GET loop against the same server (no Django, no gunicorn) is
measured in the same rounds: the store's own ceiling on this machine. The CPU
each process spends per download (gunicorn's workers, moto, the load
generator; read from /proc) is printed too: the web server, the store and the
clients share this machine's cores, so a rate alone does not say whose cost it
is, and CPU time drifts less than rates when other work runs beside the bench.

    .venv/bin/python bench/storage.py [--rounds 4] [--seconds 5] [--megabytes 5]
"""

import argparse
import hashlib
import http.client
import math
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    VENV_BIN,
    bench_env,
    free_port,
    gunicorn,
    manage,
    measure,
    print_with_baseline,
    run_in_django,
    workdir,
)

CONCURRENCY = 4
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "ipeg-bench", "AWS_SECRET_ACCESS_KEY": "ipeg-bench-secret"}
REGION = "us-east-1"

# Run once per storage (local, then S3) in the app's own process, so the file
# goes through the same default storage and the same service as an upload.
ADD_DOCUMENT = """
import json
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from events import services
from events.models import Event
from events.uploads import inspect_upload

with open(SOURCE, "rb") as source:
    upload = SimpleUploadedFile("bench-5mb.pdf", source.read(), "application/pdf")
content_type = inspect_upload(upload)
event = Event.objects.get(slug=SLUG)
document = services.add_document(event, TITLE, upload, content_type, "public", actor=None)
revision = document.revisions.get()
print(json.dumps({"pk": document.pk, "name": revision.file.name, "storage": type(storages["default"]).__name__}))
"""


@contextmanager
def moto_server(log_path):
    """moto's S3 server on a free loopback port; yields its endpoint and pid."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **CREDENTIALS}, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("moto_server did not start") from None
                    time.sleep(0.1)
            yield endpoint, process.pid
        finally:
            process.terminate()
            process.wait(timeout=10)


def s3_client(endpoint):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )  # fmt: skip


def measure_calls(call, *, seconds, concurrency=CONCURRENCY):
    """``measure`` for a callable (one per thread, from ``call()``) that
    returns the bytes it received: the same closed loop, warm-up and figures."""
    workers = [call() for _ in range(concurrency)]
    for fetch in workers:
        fetch()
        fetch()
    latencies, size, errors = [], [0], [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def loop(fetch):
        local = []
        while time.monotonic() < stop_at and len(local) < 200_000:
            started = time.perf_counter()
            try:
                size[0] = fetch()
            except Exception:  # counted and shown, as measure counts bad statuses
                errors[0] += 1
            local.append(time.perf_counter() - started)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=loop, args=(fetch,)) for fetch in workers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors[0],
        "bytes": size[0],
        "requests": len(latencies),
    }


def boto3_get(endpoint, bucket, key, chunk=64 * 1024):
    """A thread's GET-and-read of the object, in chunks as the view reads it."""

    def make():
        client = s3_client(endpoint)

        def fetch():
            body = client.get_object(Bucket=bucket, Key=key)["Body"]
            received = 0
            while block := body.read(chunk):
                received += len(block)
            body.close()
            return received

        return fetch

    return make


def digest_of(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, hashlib.sha256(response.read()).hexdigest()
    finally:
        connection.close()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid):
    """/proc/<pid>/stat fields after the command name (Linux); None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pids):
    """User + system CPU seconds of ``pids`` so far, or None without /proc."""
    total = 0.0
    for pid in pids:
        fields = _stat(pid)
        if fields is None:
            return None
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def gunicorn_workers(port):
    """Worker pids of the gunicorn this process started on ``port``: the
    children of its master (found by the port on its command line)."""
    processes = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(entry.name)
        if fields is not None:
            processes[int(entry.name)] = int(fields[1])
    for pid, parent in processes.items():
        if parent == os.getpid():
            try:
                command = (Path("/proc") / str(pid) / "cmdline").read_bytes()
            except OSError:
                continue
            if f"127.0.0.1:{port}".encode() in command:
                return [child for child, grandparent in processes.items() if grandparent == pid]
    return []


def with_cpu(run, requests_of, servers):
    """Runs ``run()`` and adds CPU milliseconds per request of each of
    ``servers`` ({label: pids}) and of this process (the load generator)."""
    before = {label: cpu_seconds(pids) for label, pids in servers.items()}
    own = time.process_time()
    result = run()
    own = time.process_time() - own
    requests = requests_of(result)
    cpu = {"client": 1000 * own / requests}
    for label, pids in servers.items():
        after = cpu_seconds(pids)
        cpu[label] = None if after is None or before[label] is None else 1000 * (after - before[label]) / requests
    result["cpu"] = cpu
    return result


def combined(runs):
    """Rounds of one target as one: mean rate, median latencies and CPU of the rounds."""
    cpu = {}
    for label in runs[0]["cpu"]:
        values = [r["cpu"][label] for r in runs]
        cpu[label] = None if None in values else statistics.median(values)
    return {
        "rps": statistics.mean(r["rps"] for r in runs),
        "median_ms": statistics.median(r["median_ms"] for r in runs),
        "p95_ms": statistics.median(r["p95_ms"] for r in runs),
        "bytes": runs[0]["bytes"],
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "cpu": cpu,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0, help="per target per round")
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    if args.rounds < 1 or args.seconds <= 0 or args.megabytes < 0.001:
        parser.error("--rounds and --seconds must be positive, --megabytes at least 0.001")

    with workdir() as work:
        size = int(args.megabytes * 1024 * 1024)
        data = b"%PDF-1.4\n" + secrets.token_bytes(size - 9)
        source = work / "document.pdf"
        source.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        static_root = work / "static"
        (static_root / "bench").mkdir(parents=True)
        shutil.copy(source, static_root / "bench" / "document.pdf")

        with moto_server(work / "moto.log") as (endpoint, moto_pid):
            bucket = f"ipeg-bench-{uuid.uuid4().hex[:12]}"
            s3_client(endpoint).create_bucket(Bucket=bucket)
            # One database, one event, two documents of the same bytes: one
            # stored on local disk, one in the bucket. Each server is started
            # with the storage its document lives in.
            # No AWS_* from the caller's environment: the local server must
            # store locally, and the S3 one must see only the settings below.
            local_env = {
                key: value
                for key, value in bench_env(
                    work, STATIC_ROOT=str(static_root), MEDIA_ROOT=str(work / "media"),
                    DOCUMENT_MAX_MB=str(max(25, math.ceil(args.megabytes))),
                ).items()
                if not key.startswith("AWS_")
            }  # fmt: skip
            s3_env = {
                **local_env,
                "AWS_STORAGE_BUCKET_NAME": bucket,
                "AWS_S3_ENDPOINT_URL": endpoint,
                "AWS_S3_REGION_NAME": REGION,
                **CREDENTIALS,
                "STORED_FILE_CACHE_DIR": str(work / "node-copies"),
            }
            manage(local_env, "migrate", "--noinput")
            manage(local_env, "seed_bench", "--events", "1", "--sessions", "1", "--registrations", "0")
            script = "import json; from events.models import Event; print(json.dumps(Event.objects.get().slug))"
            slug = run_in_django(local_env, script)
            documents = {}
            for label, env in (("local", local_env), ("s3", s3_env)):
                documents[label] = run_in_django(
                    env,
                    ADD_DOCUMENT.replace("SOURCE", repr(str(source)))
                    .replace("SLUG", repr(slug))
                    .replace("TITLE", repr(f"Bench document ({label})")),
                )
            measure_rounds(args, slug, documents, local_env, s3_env, endpoint, moto_pid, bucket, digest, size)


def measure_rounds(args, slug, documents, local_env, s3_env, endpoint, moto_pid, bucket, digest, size):
    # The same document without the web node's verified copy: every download
    # is one GET relayed from the store (a node's first download of a file).
    streamed_env = {**s3_env, "STORED_FILE_CACHE_MB": "0"}
    paths = {
        "static": "/static/bench/document.pdf",
        "local": f"/events/{slug}/documents/{documents['local']['pk']}/download/",
        "s3": f"/events/{slug}/documents/{documents['s3']['pk']}/download/",
        "streamed": f"/events/{slug}/documents/{documents['s3']['pk']}/download/",
    }
    run = {"seconds": args.seconds, "concurrency": CONCURRENCY}
    bare = boto3_get(endpoint, bucket, documents["s3"]["name"])
    runs = {"static": [], "local": [], "s3": [], "streamed": [], "boto3": []}
    # Both servers run the whole time (2 sync workers each, as the other
    # benches); an idle one costs nothing.
    with gunicorn(local_env) as local_port, gunicorn(s3_env) as s3_port, gunicorn(streamed_env) as streamed_port:
        ports = {"static": local_port, "local": local_port, "s3": s3_port, "streamed": streamed_port}
        print(
            f"\nStorage: local {documents['local']['storage']}, S3 {documents['s3']['storage']} on moto at {endpoint}"
        )
        for target, path in paths.items():
            status, received = digest_of(ports[target], path)
            verdict = "same bytes" if received == digest else "DIFFERENT BYTES"
            print(f"  {target:<6} {path}: {status}, {verdict}")
            if status != 200 or received != digest:
                raise SystemExit(f"{target} did not answer the document's bytes")
        trivial = measure(local_port, "/bench/trivial", **run)
        print(
            f"\n{'round':<6} {'static req/s':>13} {'local req/s':>12} {'S3 req/s':>9} {'S3 streamed':>12}"
            f" {'boto3 GET/s':>12}"
            f" {'S3/local':>9} {'local/static':>13}"
        )
        order = ["static", "local", "s3", "streamed", "boto3"]
        for number in range(args.rounds):
            # Rotated, so that no target always runs first or last in a round.
            for target in order[number % len(order) :] + order[: number % len(order)]:
                if target == "boto3":
                    result = with_cpu(
                        lambda: measure_calls(bare, seconds=args.seconds),
                        lambda r: r["requests"] + 2 * CONCURRENCY,
                        {"moto": [moto_pid]},
                    )
                    result["cpu"]["gunicorn"] = 0.0
                else:
                    result = with_cpu(
                        lambda target=target: measure(ports[target], paths[target], **run),
                        lambda r: r["requests"] + 2 * CONCURRENCY,  # measure's warm-up included
                        {"gunicorn": gunicorn_workers(ports[target]), "moto": [moto_pid]},
                    )
                runs[target].append(result)
            now = {target: values[-1]["rps"] for target, values in runs.items()}
            print(
                f"{number + 1:<6} {now['static']:>13.1f} {now['local']:>12.1f} {now['s3']:>9.1f}"
                f" {now['streamed']:>12.1f} {now['boto3']:>12.1f}"
                f" {100 * now['s3'] / now['local']:>8.0f}% {100 * now['local'] / now['static']:>12.0f}%"
            )
        trivial_again = measure(local_port, "/bench/trivial", **run)

    result = {target: combined(values) for target, values in runs.items()}
    labels = {
        "static": "static file (WhiteNoise)",
        "local": "download view, local storage",
        "s3": "download view, S3, node copy",
        "streamed": "download view, S3, streamed",
        "boto3": "bare boto3 GET loop, no Django",
    }
    rows = [("trivial view (200 fixed bytes)", trivial, None)] + [(labels[t], result[t], None) for t in labels]
    title = (
        f"A {size:,}-byte document: {CONCURRENCY} clients, gunicorn 2 sync workers, "
        f"{args.rounds} alternated rounds of {args.seconds:g}s (req/s: mean of rounds; latencies: median of rounds)"
    )
    print_with_baseline(title, rows, trivial, trivial_again)
    print_cpu(labels, result)
    s3_local = 100 * result["s3"]["rps"] / result["local"]["rps"]
    local_static = 100 * result["local"]["rps"] / result["static"]["rps"]
    s3_bare = 100 * result["s3"]["rps"] / result["boto3"]["rps"]
    per_round = ", ".join(f"{100 * s['rps'] / lo['rps']:.0f}%" for s, lo in zip(runs["s3"], runs["local"], strict=True))
    print(f"\nS3 / local:      {s3_local:.0f}% (rounds: {per_round})")
    streamed_local = 100 * result["streamed"]["rps"] / result["local"]["rps"]
    print(f"S3 streamed / local: {streamed_local:.0f}% (every download one GET relayed: a node's first of a file)")
    print(f"local / static:  {local_static:.0f}%")
    print(f"S3 / bare boto3: {s3_bare:.0f}% (a bare GET loop is the store's own ceiling on this machine)")
    print(f"target ≥ 50%: {'ok' if s3_local >= 50 else 'missed'}")


def print_cpu(labels, result):
    print("\nCPU ms per download (median of rounds): where the machine's cores go")
    header = f"{'target':<34} {'gunicorn workers':>17} {'moto':>8} {'load generator':>15} {'total':>8}"
    print(header)
    print("-" * len(header))
    for target, label in labels.items():
        cpu = result[target]["cpu"]
        if None in cpu.values():
            print(f"{label:<34} {'(no /proc: not measured)':>50}")
            continue
        total = sum(cpu.values())
        print(f"{label:<34} {cpu['gunicorn']:>17.2f} {cpu['moto']:>8.2f} {cpu['client']:>15.2f} {total:>8.2f}")


if __name__ == "__main__":
    main()
