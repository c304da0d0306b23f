from django.core.management.base import BaseCommand, CommandError

from demo import bench_data


class Command(BaseCommand):
    help = (
        "Make benchmark data: --events E --sessions S --registrations R of synthetic data, "
        "or --agenda-json FILE to load a shared bench agenda as a published event."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=0)
        parser.add_argument("--sessions", type=int, default=0, help="sessions per event")
        parser.add_argument("--registrations", type=int, default=0, help="confirmed registrations per event")
        parser.add_argument("--agenda-json", action="append", default=[], metavar="FILE")

    def handle(self, *args, events, sessions, registrations, agenda_json, **options):
        if min(events, sessions, registrations) < 0:
            raise CommandError("Sizes cannot be negative.")
        if not events and not agenda_json:
            raise CommandError("Give --events E (with --sessions and --registrations) or --agenda-json FILE.")
        for path in agenda_json:
            try:
                event = bench_data.load_agenda_json(path)
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(f"Cannot load {path}: {error}") from error
            self.stdout.write(f"Loaded {path} as /events/{event.slug}/ ({event.current_version.items.count()} items)")
        if events:
            created = bench_data.make_synthetic(events, sessions, registrations)
            self.stdout.write(
                f"Made {len(created)} events with {sessions} sessions and {registrations} registrations each: "
                + ", ".join(event.slug for event in created)
            )
