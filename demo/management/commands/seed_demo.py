from django.core.management.base import BaseCommand

from demo import data as demo


class Command(BaseCommand):
    help = "Load the IPEG demo programme (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        passwords = demo.load()
        self.stdout.write(self.style.SUCCESS("IPEG demo data is loaded. Demo logins:"))
        for email, password in passwords.items():
            self.stdout.write(f"  {email:<28} {password}")
