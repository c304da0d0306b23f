"""Event.organisers runs through EventRole, which keeps the table Django made
for the plain many-to-many field and adds each person's role and when it was
granted. Everyone who organised an event before roles existed could do
everything on its desk, so they all become owners. EventInvitation: owners
invite people by e-mail."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROLES = [("owner", "Owner"), ("organiser", "Organiser"), ("check_in", "Check-in staff"), ("viewer", "Viewer")]


def existing_organisers_become_owners(apps, schema_editor):
    apps.get_model("events", "EventRole").objects.update(role="owner")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_rendered_list"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table, its two foreign keys and their unique pair exist already.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="EventRole",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="roles", to="events.event"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="event_roles",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "events_event_organisers",
                        "ordering": ["event", "user"],
                        "unique_together": {("event", "user")},
                    },
                ),
                migrations.AlterField(
                    model_name="event",
                    name="organisers",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="organised_events",
                        through="events.EventRole",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="eventrole",
            name="role",
            field=models.CharField(choices=ROLES, default="organiser", max_length=10),
        ),
        migrations.AddField(
            model_name="eventrole",
            name="granted_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(name="eventrole", options={"ordering": ["event", "role", "user"]}),
        migrations.RunPython(existing_organisers_become_owners, migrations.RunPython.noop),
        migrations.CreateModel(
            name="EventInvitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254, verbose_name="e-mail address")),
                ("role", models.CharField(choices=ROLES, max_length=10)),
                ("created_at", models.DateTimeField()),
                ("mailed_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("accepted_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="invitations", to="events.event"
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-created_at"]},
        ),
    ]
