# The audit trail moves from the appointments app to its own, keeping its table and rows:
# only Django's idea of which app owns the model changes here (appointments 0003 lets go of it).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('appointments', '0002_front_desk'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                        ('action', models.CharField(choices=[('view', 'Viewed'), ('change', 'Changed'), ('export', 'Exported'), ('delete', 'Deleted')], max_length=10, verbose_name='action')),
                        ('username', models.CharField(max_length=150, verbose_name='username')),
                        ('reference', models.CharField(blank=True, db_index=True, max_length=9, verbose_name='reference')),
                        ('detail', models.TextField(blank=True, verbose_name='detail')),
                        ('request', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='appointments.appointmentrequest', verbose_name='request')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'audit event',
                        'verbose_name_plural': 'audit trail',
                        'ordering': ['-at', '-pk'],
                        'db_table': 'appointments_auditevent',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
