from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ops import backup


class Command(BaseCommand):
    help = (
        "Back up the database and every stored file (local or S3) into one timestamped tar archive "
        "with a manifest of SHA-256 sums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.VAR_DIR / "backups"),
            help="Directory to write the archive into (default: VAR_DIR/backups).",
        )

    def handle(self, *args, output, **options):
        try:
            result = backup.write_archive(output, default_storage, connection)
        except backup.BackupError as error:
            raise CommandError(f"Backup failed: {error}") from None
        self.stdout.write(str(result.path))
        self.stdout.write(
            f"database: {connection.vendor}, {result.database_bytes} bytes; "
            f"files: {result.files} ({result.file_bytes} bytes)"
        )
