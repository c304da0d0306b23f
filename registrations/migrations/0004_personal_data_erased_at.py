from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0003_calendar_token_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="personal_data_erased_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
