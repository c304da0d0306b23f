# Travel funding notices and claim reminders (travel/) in the delivery ledger.
# After the nominations' 0010 (delegations/), whose kind the choices keep.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registrations', '0010_nomination_mail_kind'),
    ]

    operations = [
        migrations.AlterField(
            model_name='delivery',
            name='kind',
            field=models.CharField(choices=[('event_reminder', 'Event reminder'), ('agenda_change', 'Agenda change notice'), ('event_cancelled', 'Event cancelled'), ('organiser_message', 'Message from the organisers'), ('starting_soon', 'Session starting soon'), ('registration', 'Registration notice'), ('survey_invitation', 'Survey invitation'), ('survey_reminder', 'Survey reminder'), ('nomination', 'Nomination notice'), ('travel_notice', 'Travel funding notice'), ('claim_reminder', 'Travel claim reminder')], max_length=20),
        ),
    ]
