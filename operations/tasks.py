"""Tasks the scheduler queues for the worker that are about the site itself, not about a request."""

from io import StringIO

from django.core.management import call_command
from django_tasks import task
from django_tasks_db import DatabaseBackend

from .models import Heartbeat

# Finished task rows hold a request's id at most; a fortnight is plenty to look into a failure.
KEEP_TASK_RESULTS_DAYS = 14


# Ahead of a backlog of emails: a busy worker is alive (an overdue email says it is behind).
@task(priority=50)
def worker_heartbeat() -> None:
    """Runs in the worker, so its time is when the worker last took a task off the queue."""
    Heartbeat.beat(Heartbeat.Process.WORKER)


@task()
def prune_task_results() -> None:
    """Delete finished task rows (django-tasks-db's own command); nothing to do on another backend."""
    if isinstance(prune_task_results.get_backend(), DatabaseBackend):
        call_command("prune_db_task_results", min_age_days=KEEP_TASK_RESULTS_DAYS, verbosity=0)


@task()
def purge_old_audit_events() -> None:
    """The audit trail's own retention (audit's `purge_audit_trail`: AUDIT_RETENTION_DAYS, six years at least)."""
    call_command("purge_audit_trail", stdout=StringIO())
