from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0006_registration_queue_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="participantprofile",
            name="time_zone",
            field=models.CharField(
                blank=True,
                help_text="Your own time zone, shown beside the venue's on event and agenda pages.",
                max_length=64,
                verbose_name="also show times in",
            ),
        ),
    ]
