from django.conf import settings
from django.core.management.base import BaseCommand

from registrations import services


class Command(BaseCommand):
    help = (
        "Erase the dietary and accessibility needs and passport details (name as in passport, number, "
        "nationality, date of birth) of every registration of events that ended more than "
        f"{settings.PERSONAL_DATA_RETENTION.days} days ago (PERSONAL_DATA_RETENTION_DAYS), as Celery beat does "
        "daily; for deployments that run cron instead. Names, economies and attendance stay for the reports. "
        "Running it again erases nothing more. Database backups keep erased values until they expire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be erased; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        erased = services.erase_personal_data_of_past_events(dry_run=dry_run)
        if not erased:
            self.stdout.write("Nothing to erase: no registration of an event that ended before the cutoff holds any.")
            return
        total = sum(count for _, count in erased)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} the personal data of {total} registration{'s' if total != 1 else ''} "
            f"of {len(erased)} event{'s' if len(erased) != 1 else ''}:"
        )
        for event, count in erased:
            self.stdout.write(f"  {count:>5}  {event.title} ({event.slug}, ended {event.ends_at:%Y-%m-%d})")
