"""The two sentences of the clinic's details in Spanish, for the Spanish pages and emails."""

from django.conf import settings
from django.db import migrations, models


def seed(apps, schema_editor):
    """From CLINIC_HOURS_ES and CLINIC_CALLBACK_ES, or the demo clinic's Spanish while the English sentence is
    still the demo's; otherwise left empty for an editor to write (Spanish pages show the English meanwhile)."""
    ClinicDetails = apps.get_model("clinic", "ClinicDetails")
    for record in ClinicDetails.objects.all():
        for field in ("hours", "callback"):
            key = field.upper()
            spanish = settings.CLINIC[f"{key}_ES"]
            chosen = spanish != settings.CLINIC_DEMO[f"{key}_ES"] or getattr(record, field) == settings.CLINIC_DEMO[key]
            if chosen and not getattr(record, f"{field}_es"):
                setattr(record, f"{field}_es", spanish)
        record.save()


class Migration(migrations.Migration):
    dependencies = [("clinic", "0002_seed_from_the_environment")]

    operations = [
        migrations.AddField(
            model_name="clinicdetails",
            name="callback_es",
            field=models.CharField(
                blank=True,
                help_text='Completes "Nuestra recepción le llamará …", e.g. "en un plazo de un día hábil".',
                max_length=120,
                verbose_name="call-back promise in Spanish",
            ),
        ),
        migrations.AddField(
            model_name="clinicdetails",
            name="hours_es",
            field=models.CharField(
                blank=True,
                help_text="For example: de lunes a viernes, de 8:00 a 17:00. Empty: Spanish pages show the English.",
                max_length=200,
                verbose_name="office hours in Spanish",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
