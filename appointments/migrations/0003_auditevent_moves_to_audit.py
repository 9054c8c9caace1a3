# The audit trail is its own app now (audit 0001 takes the model over); its table and rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0002_front_desk'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditEvent')],
            database_operations=[],
        ),
    ]
