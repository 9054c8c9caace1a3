"""The database itself keeps the trail: UPDATE and DELETE are refused (triggers made by a migration, on SQLite and
PostgreSQL), except that events past six years may go; purge_audit_trail removes those, and nothing sooner."""

import io
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from bench.harness import scratch_database

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
TABLE = "appointments_auditevent"


def event(days_old: int = 0, **fields) -> AuditEvent:
    """An event as the code writes it (INSERT is allowed), dated `days_old` days back."""
    return AuditEvent.objects.create(
        at=timezone.now() - timedelta(days=days_old), action="view", username="clerk", reference="ABCD-2345", **fields
    )


def refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


def test_the_database_refuses_to_change_an_event():
    recorded = event()
    assert refused(f"UPDATE {TABLE} SET username = %s WHERE id = %s", ["someone-else", recorded.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=recorded.pk).update(detail="edited")
    recorded.refresh_from_db()
    assert (recorded.username, recorded.detail) == ("clerk", "")


def test_the_database_refuses_to_delete_an_event_within_six_years():
    recent, five_years = event(), event(days_old=5 * 365)
    for kept in (recent, five_years):
        assert refused(f"DELETE FROM {TABLE} WHERE id = %s", [kept.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_even_an_old_event_cannot_be_changed():
    old = event(days_old=7 * 365)
    assert refused(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ["edited", old.pk])


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_audit_trail", *args, stdout=out)
    return out.getvalue().strip()


def test_the_trail_is_kept_six_years_then_purged(settings):
    assert settings.AUDIT_RETENTION_DAYS == 2192
    kept, expired = event(days_old=6 * 365), event(days_old=2192 + 30)
    assert purge("--dry-run") == "Would delete 1 audit events older than 2192 days."
    assert purge() == "Deleted 1 audit events older than 2192 days."
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert expired.pk not in AuditEvent.objects.values_list("pk", flat=True)


def test_a_longer_retention_keeps_more(settings):
    settings.AUDIT_RETENTION_DAYS = 10 * 365
    event(days_old=8 * 365)
    assert purge() == "Deleted 0 audit events older than 3650 days."


def test_a_retention_shorter_than_six_years_is_refused(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    event(days_old=100)
    with pytest.raises(CommandError, match="at least 2192 days"):
        purge()
    assert AuditEvent.objects.count() == 1


def test_the_request_purge_never_touches_the_trail(make_request):
    call_command("purge_appointments", "--days", "1", stdout=io.StringIO())  # nothing to purge, no error
    old = event(days_old=7 * 365)
    make_request(status="closed", updated_at=timezone.now() - timedelta(days=400))
    call_command("purge_appointments", "--days", "90", stdout=io.StringIO())
    assert AuditEvent.objects.filter(pk=old.pk).exists()


def migrate(database_url: str, *target: str) -> None:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", *target, "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip


OLD_EXPORT = "filtered list: 2 — first_name=Zoe&status__exact=new (searched) — ABCD-2345, EFGH-6789"
OLD_COLUMNS = "(at, action, username, reference, detail)"
INSERT_OLD_EXPORT = (
    f"INSERT INTO {TABLE} {OLD_COLUMNS} VALUES (CURRENT_TIMESTAMP, 'export', 'clerk', '', '{OLD_EXPORT}')"
)
SCRUBBED = "filtered list: 2; filters: first_name, status__exact; searched; ABCD-2345, EFGH-6789"


@pytest.mark.slow
def test_on_sqlite_the_migrations_scrub_old_exports_and_make_the_trail_append_only(tmp_path):
    path = tmp_path / "trail.sqlite3"
    migrate(f"sqlite:///{path}", "audit", "0001")
    with sqlite3.connect(path) as db:
        db.execute(INSERT_OLD_EXPORT)
    migrate(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        assert db.execute(f"SELECT detail FROM {TABLE}").fetchone() == (SCRUBBED,)
        for statement in (f"UPDATE {TABLE} SET username = 'x'", f"DELETE FROM {TABLE}"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(statement)


@pytest.mark.slow
def test_on_postgresql_the_migrations_scrub_old_exports_and_make_the_trail_append_only(postgres_server, tmp_path):
    with scratch_database(tmp_path, f"trail_{uuid.uuid4().hex[:8]}", postgres_server) as url:
        migrate(url, "audit", "0001")
        with psycopg.connect(url, autocommit=True) as db:
            db.execute(INSERT_OLD_EXPORT)
        migrate(url)
        with psycopg.connect(url, autocommit=True) as db:
            assert db.execute(f"SELECT detail FROM {TABLE}").fetchone() == (SCRUBBED,)
            for statement in (f"UPDATE {TABLE} SET username = 'x'", f"DELETE FROM {TABLE}"):
                with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
                    db.execute(statement)
            db.execute(f"UPDATE {TABLE} SET at = at WHERE false")  # a statement that touches no row is fine
