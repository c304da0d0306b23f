import sys
import tempfile

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ops import backup


def describe(storage):
    bucket = getattr(storage, "bucket_name", None)
    return f"bucket {bucket}" if bucket else f"directory {storage.location}"


class Command(BaseCommand):
    help = (
        "Restore a backup archive: checks the whole archive first (SHA-256 of every member, format, database "
        "vendor, migrations) and refuses a damaged or mismatched one without changing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar (or .tar.gz) written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, archive, yes, **options):
        with tempfile.TemporaryDirectory(prefix="ipeg-restore-") as work:
            try:
                verified = backup.verify_archive(archive, connection, work)
            except backup.BackupError as error:
                raise CommandError(f"Refusing to restore {archive}: {error} Nothing was changed.") from None
            manifest = verified.manifest
            files = verified.file_names
            target = connection.settings_dict["NAME"]
            self.stdout.write(
                f"{archive} is intact: made {manifest['created_at']}, {connection.vendor} database, {len(files)} files."
            )
            if not yes:
                self.confirm(
                    f"Replace database {target} and write {len(files)} files into {describe(default_storage)}?"
                )
            try:
                backup.restore_database(verified, connection)
            except backup.BackupError as error:
                raise CommandError(f"Restore failed, nothing was changed: {error}") from None
            backup.forget_cached_pages()
            try:
                count = backup.restore_files(verified, default_storage)
            except Exception as error:
                raise CommandError(
                    f"The database was restored, but writing the files failed: {error}. "
                    "Fix the cause and run the restore again."
                ) from error
        self.stdout.write(f"Restored database {target} and {count} files from {archive}.")
        if verified.unapplied:
            self.stdout.write(
                f"The archive predates {len(verified.unapplied)} migrations of this code: "
                "run `python manage.py migrate` now."
            )

    def confirm(self, question):
        if not sys.stdin.isatty():
            raise CommandError("Refusing to restore without confirmation: pass --yes (stdin is not a terminal).")
        answer = input(f"{question} Type yes to continue: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")
