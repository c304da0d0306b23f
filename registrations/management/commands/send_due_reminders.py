from django.core.management.base import BaseCommand

from registrations import reminders


class Command(BaseCommand):
    help = (
        "Send every reminder and notice that is due now, for deployments that run cron instead of Celery beat. "
        "Running it twice sends nothing twice."
    )

    def handle(self, *args, **options):
        sent = reminders.send_due()
        self.stdout.write(f"{sent} message{'s' if sent != 1 else ''} sent.")
