"""Backup and restore as an operator runs them: `manage.py backup` and
`manage.py restore` as processes, on a scratch PostgreSQL database with its
files in a fresh S3 bucket, and on SQLite with local files (`make run`)."""

import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from ops.backup import forget_cached_pages

from ..conftest import require_service
from ..processes import ROOT, manage, project_env, scratch_database

SERVER = "postgres://postgres@127.0.0.1:5432"

# Migrations, then a workshop with more registrations than seats, mail rows,
# two meeting documents (one revised), a badge sheet, and a file whose name a
# storage would rewrite on collision. One process: Django starts once.
DATA = """
import os
from datetime import timedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from accounts.models import User
from events import services as documents
from events.models import Event, Venue
from registrations import services
from registrations.models import Delivery, GeneratedDocument, ParticipantProfile

call_command("migrate", verbosity=0)

def make_user(email, full_name):  # no password: hashing one costs more than the rest of the script
    user = User.objects.create_user(email)
    ParticipantProfile.objects.create(user=user, full_name=full_name, economy="NZ")
    return user

organiser = make_user("organiser@example.org", "Organiser")
venue = Venue.objects.create(name="Aotea Centre", city="Auckland", economy="NZ", timezone="Pacific/Auckland")
start = timezone.now() + timedelta(days=30)
event = Event.objects.create(slug="backup-workshop", title="Industrial design workshop", venue=venue,
                             status="published", starts_at=start, ends_at=start + timedelta(hours=8), capacity=3)
for n in range(5):
    person = make_user(f"delegate-{n}@example.org", f"Delegate {n}")
    registration = services.register(event, person, dietary_needs=f"diet {n}", organisation="IP Office ✓")
    Delivery.objects.create(registration=registration, kind="organiser_message", key=f"backup-{n}",
                            due_at=start - timedelta(days=1), payload={"subject": f"Note {n} – café"})
first = documents.add_document(event, "Agenda", ContentFile(b"%PDF-1.4 agenda v1", name="agenda.pdf"),
                               "application/pdf", "public", actor=organiser)
documents.replace_document(first, ContentFile(b"%PDF-1.4 agenda v2", name="agenda.pdf"), "application/pdf", actor=organiser)
documents.add_document(event, "Study", ContentFile(b"%PDF-1.4 " + os.urandom(3 * 1024 * 1024), name="study.pdf"),
                       "application/pdf", "registered", actor=organiser)
GeneratedDocument.objects.create(event=event, kind="badges", status="done", items=3,
                                 file=ContentFile(b"%PDF-1.4 badges", name="badges.pdf"))
default_storage.save("documents/Nota – versión final (1).txt", ContentFile("información".encode()))
"""


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def restore(archive, env, *extra):
    return subprocess.Popen(
        [sys.executable, "manage.py", "restore", str(archive), *extra],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


# Each attempt, {case: [archive, --yes]}, through the restore command; stdin is not a terminal.
REFUSALS = """
import json
from django.core.management import CommandError, call_command
messages = {}
for case, (path, yes) in json.loads(ATTEMPTS).items():
    try:
        call_command("restore", path, yes=yes)
        messages[case] = "restored!"
    except CommandError as error:
        messages[case] = str(error)
print(json.dumps(messages))
"""


def restore_attempts(script, env):
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def messages():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        return json.loads(stdout.strip().splitlines()[-1])

    return messages


def rewrite(archive, target, *, manifest=None, drop=(), add=None):
    """A copy of ``archive`` with its manifest edited, members left out or one added."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for member in source:
            if member.name in drop:
                continue
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
        if add:
            name, data = add
            info = tarfile.TarInfo(name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


def flip_byte(archive, target, member_name):
    data = bytearray(Path(archive).read_bytes())
    with tarfile.open(archive) as tar:
        member = tar.getmember(member_name)
    data[member.offset_data + member.size // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


# PostgreSQL and S3


@dataclass
class Deployment:
    url: str
    name: str
    bucket: str
    env: dict
    archive: Path
    rows: dict
    files: dict


def database_state(url):
    """Every row of every table, and where every sequence stands."""
    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        rows = {
            table: sorted(
                row[0] for row in conn.execute(sql.SQL("SELECT t::text FROM {} t").format(sql.Identifier(table)))
            )
            for table in tables
        }
        sequences = dict(conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"))
    return {"rows": rows, "sequences": sequences}


def bucket_state(s3_server, bucket):
    client = s3_server.client()
    return {key: sha256(client.get_object(Bucket=bucket, Key=key)["Body"].read()) for key in s3_server.keys(bucket)}


def admin(statement, name):
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def deployment(s3_server, tmp_path_factory):
    require_service("PostgreSQL", "127.0.0.1", 5432)
    tmp = tmp_path_factory.mktemp("backup")
    with scratch_database(SERVER, prefix="ipeg_backup") as url:
        bucket = s3_server.new_bucket()
        env = project_env(DATABASE_URL=url, VAR_DIR=str(tmp / "var"), **s3_server.env(bucket))
        manage("shell", "-c", DATA, env=env)
        rows, files = database_state(url), bucket_state(s3_server, bucket)
        output = manage("backup", "--output", str(tmp / "backups"), env=env)
        archive = Path(output.splitlines()[0])
        yield Deployment(url, url.rsplit("/", 1)[1], bucket, env, archive, rows, files)


@pytest.mark.postgres
@pytest.mark.slow
def test_backup_wipe_restore_brings_back_every_row_and_file(deployment, s3_server):
    assert deployment.archive.name.startswith("ipeg-backup-") and deployment.archive.suffix == ".tar"
    rows = deployment.rows["rows"]
    assert len(rows["registrations_registration"]) == 5
    assert len(rows["registrations_delivery"]) >= 5  # ours, beside the confirmations
    documents = [key for key in deployment.files if key.startswith("documents/")]
    assert len(documents) == 4 and "documents/Nota – versión final (1).txt" in documents
    with tarfile.open(deployment.archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert set(tar.getnames()) == {"manifest.json", "database.dump"} | {f"files/{key}" for key in deployment.files}
    assert manifest["database"]["vendor"] == "postgresql"
    assert "0001_initial" in manifest["database"]["migrations"]["registrations"]
    assert {name: entry["sha256"] for name, entry in manifest["members"].items() if name.startswith("files/")} == {
        f"files/{key}": digest for key, digest in deployment.files.items()
    }

    # A fresh machine: an empty database, an empty bucket except one object of
    # the same name (a half-finished earlier attempt) that must be overwritten.
    admin("DROP DATABASE {} WITH (FORCE)", deployment.name)
    admin("CREATE DATABASE {}", deployment.name)
    client = s3_server.client()
    for key in s3_server.keys(deployment.bucket):
        client.delete_object(Bucket=deployment.bucket, Key=key)
    client.put_object(Bucket=deployment.bucket, Key=documents[0], Body=b"something else")
    assert database_state(deployment.url)["rows"] == {}

    process = restore(deployment.archive, deployment.env, "--yes")
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert f"{len(deployment.files)} files" in stdout

    assert database_state(deployment.url) == deployment.rows
    files = bucket_state(s3_server, deployment.bucket)
    assert files == deployment.files
    with psycopg.connect(deployment.url) as conn:
        revisions = [row[0] for row in conn.execute("SELECT file FROM events_documentrevision")]
    assert len(revisions) == 3
    assert all(files[name] == deployment.files[name] for name in revisions)


@pytest.mark.postgres
@pytest.mark.slow
def test_damaged_or_mismatched_archives_are_refused_and_change_nothing(deployment, s3_server, tmp_path):
    archive = deployment.archive
    document = next(f"files/{key}" for key in deployment.files if key.startswith("documents/"))

    def newer_code(manifest):
        manifest["database"]["migrations"]["events"].append("0999_from_a_newer_version")
        return manifest

    def sqlite_made(manifest):
        manifest["database"]["vendor"] = "sqlite"
        return manifest

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    cases = {
        "a flipped byte": (
            flip_byte(archive, tmp_path / "flipped.tar", document),
            f"{document} is damaged: its SHA-256 does not match the manifest",
        ),
        "a flipped byte in the dump": (
            flip_byte(archive, tmp_path / "flipped-dump.tar", "database.dump"),
            "database.dump is damaged",
        ),
        "a missing member": (
            rewrite(archive, tmp_path / "missing.tar", drop={document}),
            f"{document} is listed in the manifest but missing from the archive",
        ),
        "an unlisted member": (
            rewrite(archive, tmp_path / "unlisted.tar", add=("files/documents/extra.pdf", b"%PDF")),
            "files/documents/extra.pdf is in the archive but not in its manifest",
        ),
        "a truncated archive": (truncated, "damaged"),
        "a newer version's archive": (
            rewrite(archive, tmp_path / "newer.tar", manifest=newer_code),
            "migrations unknown to this code: events.0999_from_a_newer_version",
        ),
        "another vendor's archive": (
            rewrite(archive, tmp_path / "sqlite.tar", manifest=sqlite_made),
            "holds a sqlite database; this deployment runs postgresql",
        ),
    }

    # Make the live state differ from the archive, so a restore that went
    # ahead anyway would show.
    with psycopg.connect(deployment.url) as conn:
        conn.execute("UPDATE registrations_registration SET dietary_needs = 'changed after the backup'")
    client = s3_server.client()
    client.put_object(Bucket=deployment.bucket, Key=document.removeprefix("files/"), Body=b"newer bytes")
    client.put_object(Bucket=deployment.bucket, Key="documents/after-the-backup.pdf", Body=b"%PDF later")
    rows, files = database_state(deployment.url), bucket_state(s3_server, deployment.bucket)

    # As an operator sees one refusal: exit status 1, one line on stderr. The
    # other cases go through the same command in one process (starting Django
    # once), beside it: refusals only read.
    operator = restore(cases["a flipped byte"][0], deployment.env, "--yes")
    attempts = {case: [str(path), True] for case, (path, _) in cases.items()}
    attempts["no confirmation"] = [str(archive), False]
    refusals = restore_attempts(REFUSALS.replace("ATTEMPTS", repr(json.dumps(attempts))), deployment.env)
    stdout, stderr = operator.communicate(timeout=120)
    assert operator.returncode == 1, stdout + stderr
    assert stderr == (
        f"CommandError: Refusing to restore {cases['a flipped byte'][0]}: {cases['a flipped byte'][1]}. "
        "Nothing was changed.\n"
    )
    messages = refusals()
    for case, (path, expected) in cases.items():
        assert messages[case].startswith(f"Refusing to restore {path}: "), f"{case}: {messages[case]}"
        assert expected in messages[case], f"{case}: {messages[case]}"
        assert messages[case].endswith("Nothing was changed."), f"{case}: {messages[case]}"
    assert (
        messages["no confirmation"] == "Refusing to restore without confirmation: pass --yes (stdin is not a terminal)."
    )

    assert database_state(deployment.url) == rows
    assert bucket_state(s3_server, deployment.bucket) == files


# SQLite and local files, as `make run` deploys


def sqlite_state(path):
    with sqlite3.connect(path) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"'))) for table in tables}  # noqa: S608


def directory_state(root):
    return {str(path.relative_to(root)): sha256(path.read_bytes()) for path in root.rglob("*") if path.is_file()}


@pytest.mark.slow
def test_sqlite_and_local_files_round_trip(tmp_path):
    database, media = tmp_path / "db.sqlite3", tmp_path / "media"
    env = project_env(DATABASE_URL=f"sqlite:///{database}", VAR_DIR=str(tmp_path / "var"), MEDIA_ROOT=str(media))
    manage("shell", "-c", DATA, env=env)
    rows, files = sqlite_state(database), directory_state(media)
    assert len(rows["registrations_registration"]) == 5 and len(rows["registrations_delivery"]) >= 5
    assert len([name for name in files if name.startswith("documents/")]) == 4

    archive = Path(manage("backup", env=env).splitlines()[0])
    assert archive.parent == tmp_path / "var" / "backups"
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner's eyes only

    for path in tmp_path.glob("db.sqlite3*"):
        path.unlink()
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    manage("restore", str(archive), "--yes", env=env)

    assert sqlite_state(database) == rows
    assert directory_state(media) == files


def test_a_restore_forgets_cached_pages_but_not_the_broker_queue(redis_url, settings):
    """Agendas are cached for good under a version's primary key, which a
    restored database hands out again; Celery's queue shares the Redis database."""
    import redis
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}}
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    server.lpush("celery", "a queued task")
    cache.set("agenda-html:1:-", "<p>before the restore</p>", timeout=None)
    forget_cached_pages()
    assert cache.get("agenda-html:1:-") is None
    assert server.lrange("celery", 0, -1) == [b"a queued task"]
    server.flushdb()
