# The database itself keeps the trail append-only: UPDATE is refused, and so is DELETE, except of
# events older than six years (HIPAA's documentation rule; AUDIT_RETENTION_DAYS may keep them longer,
# never shorter). The SQL lives here, not in the app, so later code changes never change this migration;
# tests/conftest.py reads TRIGGERS to empty the trail between transactional tests on SQLite.

from django.db import migrations

TABLE = "appointments_auditevent"
KEEP_AT_LEAST_DAYS = 2192  # six years, leap days included

TRIGGERS = {
    "sqlite": (
        [
            f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused'); END""",
            f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
            WHEN OLD."at" >= datetime('now', '-{KEEP_AT_LEAST_DAYS} days')
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE refused'); END""",
        ],
        ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"],
    ),
    "postgresql": (
        [
            f"""CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND OLD."at" < now() - interval '{KEEP_AT_LEAST_DAYS} days' THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$""",
            f"""CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
        ],
        [f"DROP TRIGGER audit_event_append_only ON {TABLE}", "DROP FUNCTION audit_event_append_only()"],
    ),
}


def run(statements_of):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in TRIGGERS:
            raise NotImplementedError(f"No append-only triggers for {vendor}: the trail needs SQLite or PostgreSQL.")
        for statement in statements_of(TRIGGERS[vendor]):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_who_what_where'),
    ]

    operations = [
        migrations.RunPython(run(lambda sql: sql[0]), run(lambda sql: sql[1])),
    ]
