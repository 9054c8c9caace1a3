"""The clinic's details start as the CLINIC_* environment values (settings.CLINIC) the site ran on before
they were edited in the admin; a database that already has the record keeps it."""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    ClinicDetails = apps.get_model("clinic", "ClinicDetails")
    fields = {field.name for field in ClinicDetails._meta.fields}  # the Spanish ones came later (0003)
    values = {key.lower(): value for key, value in settings.CLINIC.items() if key.lower() in fields}
    ClinicDetails.objects.get_or_create(pk=1, defaults=values)


class Migration(migrations.Migration):

    dependencies = [("clinic", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
