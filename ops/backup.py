"""Backup and restore of a whole deployment: the database and every stored
file, in one tar archive with a manifest of SHA-256 sums.

Files are read and written only through the default storage, so the same
archive moves between a local media directory and an S3-compatible bucket.
A restore checks the whole archive before it changes anything."""

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

APP_NAME = "ipeg-events"
FORMAT = "ipeg-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = "database.dump"
FILES_PREFIX = "files/"
VENDORS = ("postgresql", "sqlite")
CHUNK = 1024 * 1024
# A manifest lists one line per file; anything near this size is not ours.
MANIFEST_MAX_BYTES = 64 * 1024 * 1024


class BackupError(Exception):
    """What went wrong, in one sentence an operator can act on."""


@dataclass
class Archive:
    """A verified archive: its manifest, and the database dump already
    extracted (and checked) into a working directory."""

    path: Path
    manifest: dict
    dump_path: Path
    unapplied: list = field(default_factory=list)

    @property
    def file_names(self):
        return [name[len(FILES_PREFIX) :] for name in self.manifest["members"] if name.startswith(FILES_PREFIX)]


def archive_name(moment):
    return f"ipeg-backup-{moment:%Y%m%dT%H%M%SZ}.tar"


class _Hashing:
    """Reads through to ``raw`` and keeps the SHA-256 and size of what passed,
    so a member's sum is taken from the very bytes written to (or read from) the tar."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def summary(self):
        return {"size": self.size, "sha256": self.sha256.hexdigest()}


def stored_names(storage, directory=""):
    """Every file name in ``storage``, found with listdir alone (S3 has no walk)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a local media directory nothing was ever uploaded to
        return []
    names = [posixpath.join(directory, name) for name in files]
    for sub in directories:
        names.extend(stored_names(storage, posixpath.join(directory, sub)))
    return sorted(names)


def applied_migrations(connection):
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _vendor(connection):
    if connection.vendor not in VENDORS:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _pg_env(connection):
    """libpq's variables for the DATABASE_URL's database: the password stays
    out of the command line, where other users of the machine could read it."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, value in {
        "PGDATABASE": settings["NAME"],
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
    }.items():
        if value:
            env[variable] = str(value)
    for option, variable in {
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "options": "PGOPTIONS",
    }.items():
        if settings.get("OPTIONS", {}).get(option):
            env[variable] = str(settings["OPTIONS"][option])
    return env


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (Debian: postgresql-client) "
            "of the server's major version or newer."
        )
    return path


def _run(command, env):
    name, *arguments = command
    result = subprocess.run([_tool(name), *arguments], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip() or f'exit status {result.returncode}'}")
    return result


def dump_database(connection, path):
    if _vendor(connection) == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={path}"], _pg_env(connection))
        return
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # The backup API copies a consistent state even while the web process
        # and the worker keep writing.
        connection.connection.backup(target)
        # One self-contained file, not a WAL database that needs its -wal beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def build_manifest(members, vendor, migrations, created_at):
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "app": APP_NAME,
        "created_at": created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "database": {"vendor": vendor, "migrations": migrations},
        "members": members,
    }


def _add(tar, name, raw, size, mtime):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    reader = _Hashing(raw)
    tar.addfile(info, reader)
    return reader.summary()


@dataclass
class BackupResult:
    path: Path
    files: int
    file_bytes: int
    database_bytes: int


def write_archive(output_dir, storage, connection, now=None):
    """Write the archive under ``output_dir``; return what went into it."""
    now = now or datetime.now(UTC)
    output_dir = Path(output_dir).resolve()
    if isinstance(storage, FileSystemStorage) and output_dir.is_relative_to(Path(storage.location).resolve()):
        # The archive being written would be walked as a stored file.
        raise BackupError(f"the output directory {output_dir} is inside the media directory {storage.location}.")
    output_dir.mkdir(parents=True, exist_ok=True)
    vendor = _vendor(connection)
    final = output_dir / archive_name(now)
    if final.exists():
        raise BackupError(f"{final} already exists.")
    partial = final.with_name(f".{final.name}.partial")
    mtime = int(now.timestamp())
    members = {}
    migrations = applied_migrations(connection)
    # The dump is spooled beside the archive: the output directory is the one
    # the operator gave room to, /tmp in a container often has little.
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".ipeg-backup-") as work:
        dump = Path(work) / DATABASE_MEMBER
        dump_database(connection, dump)
        # The archive holds personal data (passport details of visa letters):
        # readable by its owner only, from the first byte.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
                with dump.open("rb") as raw:
                    members[DATABASE_MEMBER] = _add(tar, DATABASE_MEMBER, raw, dump.stat().st_size, mtime)
                # Files after the dump: a file uploaded meanwhile is in the archive
                # unreferenced (harmless), rather than referenced and missing.
                for name in stored_names(storage):
                    with storage.open(name, "rb") as raw:
                        members[FILES_PREFIX + name] = _add(tar, FILES_PREFIX + name, raw, raw.size, mtime)
                manifest = json.dumps(build_manifest(members, vendor, migrations, now), indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(manifest), mtime, 0o600
                tar.addfile(info, io.BytesIO(manifest))
            partial.rename(final)
        finally:
            partial.unlink(missing_ok=True)
    files = {name: entry for name, entry in members.items() if name.startswith(FILES_PREFIX)}
    return BackupResult(
        path=final,
        files=len(files),
        file_bytes=sum(entry["size"] for entry in files.values()),
        database_bytes=members[DATABASE_MEMBER]["size"],
    )


def _known_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # an archive older than a squash is still ours
    return known


def _check_manifest(manifest, members_seen, connection):
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("manifest.json is not the manifest of an IPEG Events backup.")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"the archive's format version is {manifest.get('version')!r}; this code reads version {FORMAT_VERSION}."
        )
    if manifest.get("app") != APP_NAME:
        raise BackupError(f"the archive was made by {manifest.get('app')!r}, not {APP_NAME}.")
    listed = manifest.get("members")
    if not isinstance(listed, dict) or DATABASE_MEMBER not in listed:
        raise BackupError("the manifest lists no database dump.")
    for name, expected in listed.items():
        seen = members_seen.get(name)
        if seen is None:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive.")
        if seen["size"] != expected.get("size"):
            raise BackupError(f"{name} is damaged: {seen['size']} bytes, the manifest says {expected.get('size')}.")
        if seen["sha256"] != expected.get("sha256"):
            raise BackupError(f"{name} is damaged: its SHA-256 does not match the manifest.")
    for name in members_seen:
        if name not in listed:
            raise BackupError(f"{name} is in the archive but not in its manifest.")
    database = manifest.get("database") or {}
    if database.get("vendor") != connection.vendor:
        raise BackupError(
            f"the archive holds a {database.get('vendor')} database; this deployment runs {connection.vendor}."
        )
    migrations = database.get("migrations")
    if not isinstance(migrations, dict):
        raise BackupError("the manifest lists no migrations.")
    archived = {(app, name) for app, names in migrations.items() for name in names}
    known = _known_migrations()
    unknown = sorted(archived - known)
    if unknown:
        listing = ", ".join(f"{app}.{name}" for app, name in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"the archive comes from a newer version of the app or from another app: "
            f"migrations unknown to this code: {listing}."
        )
    return sorted(known - archived)


def _safe_member_name(name):
    if name in (MANIFEST, DATABASE_MEMBER):
        return True
    if not name.startswith(FILES_PREFIX) or name.endswith("/") or "\\" in name:
        return False
    parts = name[len(FILES_PREFIX) :].split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _check_dump(dump_path, vendor):
    if vendor == "postgresql":
        # Readable by this machine's pg_restore (a dump from a newer pg_dump is not).
        _run(["pg_restore", "--list", str(dump_path)], dict(os.environ))
        return
    try:
        with sqlite3.connect(f"file:{dump_path}?mode=ro", uri=True) as check:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as error:
        raise BackupError(f"database.dump is not a usable SQLite database: {error}.") from None
    if result != "ok":
        raise BackupError(f"database.dump fails SQLite's integrity check: {result}.")


def verify_archive(path, connection, workdir):
    """Read every byte of the archive and check it against its manifest and
    this deployment; raise BackupError on the first problem. Changes nothing
    outside ``workdir`` (where the database dump is extracted)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    seen, manifest_bytes = {}, None
    dump_path = Path(workdir) / DATABASE_MEMBER
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                name = member.name
                if not member.isfile() or not _safe_member_name(name):
                    raise BackupError(f"the archive holds an unexpected entry {name!r}.")
                if name in seen or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"{name} appears twice in the archive.")
                raw = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise BackupError("manifest.json is implausibly large.")
                    manifest_bytes = raw.read()
                    continue
                reader = _Hashing(raw)
                if name == DATABASE_MEMBER:
                    with dump_path.open("wb") as out:
                        shutil.copyfileobj(reader, out, CHUNK)
                else:
                    while reader.read(CHUNK):
                        pass
                seen[name] = reader.summary()
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{path.name} is damaged or not a tar archive ({error}).") from None
    if manifest_bytes is None:
        raise BackupError(f"{path.name} has no manifest.json: it is damaged or not an IPEG Events backup.")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BackupError("manifest.json is damaged (not valid JSON).") from None
    unapplied = _check_manifest(manifest, seen, connection)
    _check_dump(dump_path, connection.vendor)
    return Archive(path=path, manifest=manifest, dump_path=dump_path, unapplied=unapplied)


def restore_database(archive, connection):
    if connection.vendor == "postgresql":
        _restore_postgresql(archive.dump_path, connection)
    else:
        _restore_sqlite(archive.dump_path, connection)


def _restore_postgresql(dump_path, connection):
    # Tables this code's models own are dropped first, in the same transaction
    # as the restore: after restoring an archive older than the code, tables of
    # newer migrations would otherwise survive and make `migrate` fail.
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    tables += [name for name in ("django_migrations",) if name in existing]
    prelude = "SELECT 1"
    if tables:
        prelude = f"DROP TABLE IF EXISTS {', '.join(connection.ops.quote_name(t) for t in sorted(tables))} CASCADE"
    # The script is written out in full before psql starts: were pg_restore
    # to stop halfway into a pipe, psql would commit half a database.
    script = dump_path.with_name("restore.sql")
    env = _pg_env(connection)
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", f"--file={script}", str(dump_path)],
        env,
    )
    # Our own session must hold nothing the restore would wait for.
    connection.close()
    # One transaction for the prelude and the whole script: on any error
    # everything rolls back and the database stays as it was.
    _run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-c", prelude, "-f", str(script)], env)


def _restore_sqlite(dump_path, connection):
    source = sqlite3.connect(dump_path)
    try:
        connection.ensure_connection()
        # Replaces the whole database, schema included, in one transaction.
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not replace the database: {error}.") from None
    finally:
        source.close()
        connection.close()


def restore_files(archive, storage):
    """Write every file of the archive back under its own name; return how many."""
    count = 0
    with tarfile.open(archive.path, "r:*") as tar:
        for member in tar:
            if not member.name.startswith(FILES_PREFIX):
                continue
            name = member.name[len(FILES_PREFIX) :]
            # Delete first: both storages pick another name when one is taken.
            storage.delete(name)
            saved = storage.save(name, File(tar.extractfile(member), name=posixpath.basename(name)))
            if saved != name:
                raise BackupError(f"the storage saved {name} as {saved}; restore stopped.")
            count += 1
    return count


def forget_cached_pages():
    """Rendered agendas are cached for good under their version's primary key,
    and a restored database hands out those keys again: drop every entry."""
    delete_pattern = getattr(cache, "delete_pattern", None)
    if delete_pattern is not None:
        # django-redis: only this cache's keys; the Celery broker shares the Redis database.
        delete_pattern("*")
    else:
        cache.clear()  # a per-process cache (the default without Redis) empties anyway when the app restarts
