"""The database cache table (CACHES "default" and "ratelimit" without REDIS_URL): `migrate` makes it.

It used to be made by `createcachetable` alone, which a deployer could miss: then every
stored request answered 500. The table is made whether or not REDIS_URL is set now, so
unsetting it later needs nothing more. A database where `createcachetable` already made
it is left as it is.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# A copy, not settings.CACHES: a migration must do the same thing whatever the settings say later.
TABLE = "clinic_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
