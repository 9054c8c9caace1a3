"""The recurring jobs, fired by APScheduler and run by the worker: no cron.

Each machine may run a scheduler (the Procfile's `scheduler` process); only the
one holding the shared lease fires, the others wait to take over. Firing a job
only queues its django-tasks task, so the work itself runs in the worker, with
the worker's retries and logs, and the scheduler never needs the mail server.
A daily job also fires when the scheduler starts, so a scheduler restarted more
often than daily still runs it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.db import close_old_connections
from django.utils import timezone
from django_tasks.base import Task

from appointments.tasks import purge_expired_requests, sweep_notifications
from clinic.failures import cause

from .leases import SharedLease
from .models import Heartbeat
from .tasks import prune_task_results, purge_old_audit_events, worker_heartbeat

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
# The holder renews every LEASE_RENEW; a standby takes over at most LEASE_TTL after the holder died.
LEASE_TTL = timedelta(seconds=90)
LEASE_RENEW = timedelta(seconds=30)


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    every: timedelta


SCHEDULE = (
    # The worker's proof of life for /healthz and the admin (operations.health).
    Job("worker heartbeat", worker_heartbeat, timedelta(minutes=1)),
    # Retries that are due, and requests whose emails were never queued.
    Job("mail sweep", sweep_notifications, timedelta(minutes=5)),
    # What the privacy notice promises: requests dealt with go after APPOINTMENT_RETENTION_DAYS.
    Job("retention purge", purge_expired_requests, timedelta(days=1)),
    Job("prune finished tasks", prune_task_results, timedelta(days=1)),
    # The audit trail's own retention (six years at least): purge_appointments never touches it.
    Job("audit trail purge", purge_old_audit_events, timedelta(days=1)),
)


class Scheduler:
    def __init__(self, lease: SharedLease, schedule: tuple[Job, ...] = SCHEDULE):
        self.lease, self.schedule = lease, schedule

    def keep_lease(self) -> bool:
        """Take or renew the lease; the holder records that the scheduler is alive."""
        if not self.lease.hold():
            return False
        try:
            Heartbeat.beat(Heartbeat.Process.SCHEDULER)
        except Exception as error:  # the database is down: nothing to record it in, and the lease may be Redis
            logger.warning("Scheduler heartbeat not recorded (%s).", cause(error))
        return True

    def fire(self, job: Job) -> bool:
        """Queue the job's task if this scheduler holds the lease. True if it was queued."""
        if not self.keep_lease():
            return False
        try:
            job.task.enqueue()
        except Exception as error:  # the queue is unwritable: the next run tries again
            logger.warning("Scheduler could not queue the %s (%s); the next run tries again.", job.name, cause(error))
            return False
        logger.info("Scheduler queued the %s.", job.name)
        return True

    def build(self) -> BlockingScheduler:
        # One thread: jobs only queue a row each, and one at a time keeps database connections simple.
        scheduler = BlockingScheduler(
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )
        now = timezone.now()
        for job in self.schedule:
            trigger = IntervalTrigger(seconds=job.every.total_seconds())
            scheduler.add_job(
                with_fresh_connection(self.fire), trigger, args=[job], id=job.name, name=job.name, next_run_time=now
            )
        renew = IntervalTrigger(seconds=LEASE_RENEW.total_seconds())
        scheduler.add_job(with_fresh_connection(self.keep_lease), renew, id="lease", name="keep the lease")
        return scheduler


def with_fresh_connection(function: Callable[..., bool]) -> Callable[..., bool]:
    """As Django does around a request: a long-running process drops dead or expired connections between jobs."""

    @wraps(function)
    def run(*args) -> bool:
        close_old_connections()
        try:
            return function(*args)
        finally:
            close_old_connections()

    return run
