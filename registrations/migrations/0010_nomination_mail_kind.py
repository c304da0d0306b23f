# Nomination notices (delegations/) in the delivery ledger.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0009_email_in_participant_list"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="kind",
            field=models.CharField(
                choices=[
                    ("event_reminder", "Event reminder"),
                    ("agenda_change", "Agenda change notice"),
                    ("event_cancelled", "Event cancelled"),
                    ("organiser_message", "Message from the organisers"),
                    ("starting_soon", "Session starting soon"),
                    ("registration", "Registration notice"),
                    ("survey_invitation", "Survey invitation"),
                    ("survey_reminder", "Survey reminder"),
                    ("nomination", "Nomination notice"),
                ],
                max_length=20,
            ),
        ),
    ]
