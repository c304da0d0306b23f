"""Personal calendar tokens are kept only as digests.

Every clear token becomes its SHA-256 digest and a four-character hint, then
the clear column is dropped. The feed looks tokens up by that same digest, so
the addresses people already subscribed to keep working.
"""

import hashlib

import django.utils.timezone
from django.db import migrations, models


def digest_and_hint(token):
    """What is kept of a token: the same digest ``calendar_feed.digest_of`` computes."""
    return hashlib.sha256(token.encode()).hexdigest(), token[-4:]


def digest_clear_tokens(apps, schema_editor):
    CalendarToken = apps.get_model("registrations", "CalendarToken")
    rows = list(CalendarToken.objects.only("pk", "token"))
    for row in rows:
        row.digest, row.hint = digest_and_hint(row.token)
    CalendarToken.objects.bulk_update(rows, ["digest", "hint"], batch_size=500)


def keep_digests_on_the_way_back(apps, schema_editor):
    # The clear tokens are gone and cannot come back. The older code also looks
    # addresses up by digest, so subscriptions keep working after a rollback;
    # the unique clear column gets the digest as a stand-in, and the account
    # page of that older code shows a wrong address until the person replaces it.
    CalendarToken = apps.get_model("registrations", "CalendarToken")
    CalendarToken.objects.update(token=models.F("digest"))


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0002_registration_notices_and_document_hand_off"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendartoken",
            name="hint",
            field=models.CharField(default="", max_length=4),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="calendartoken",
            name="token",
            field=models.CharField(max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(digest_clear_tokens, keep_digests_on_the_way_back, elidable=False),
        migrations.RemoveField(
            model_name="calendartoken",
            name="token",
        ),
        migrations.AlterField(
            model_name="calendartoken",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
