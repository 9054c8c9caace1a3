"""Recurring jobs without cron: the scheduler queues each job's task for the worker, and only one scheduler fires."""

import logging
import os
import signal
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from audit.models import AuditEvent
from operations.leases import DatabaseLease, RedisLease, lease
from operations.models import Heartbeat, Lease
from operations.scheduler import LEASE_RENEW, LEASE_TTL, SCHEDULE, Scheduler
from operations.tasks import prune_task_results, purge_old_audit_events, worker_heartbeat

pytestmark = pytest.mark.django_db

TTL = timedelta(seconds=90)
NOW = "2026-03-02 14:00:00"


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def job(name: str):
    return next(j for j in SCHEDULE if j.name == name)


def queued() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_the_schedule_has_each_job_at_its_interval():
    scheduler = Scheduler(DatabaseLease("scheduler", TTL)).build()
    intervals = {j.name: j.trigger.interval for j in scheduler.get_jobs()}
    assert intervals == {
        "mail sweep": timedelta(minutes=5),
        "retention purge": timedelta(days=1),
        "prune finished tasks": timedelta(days=1),
        "audit trail purge": timedelta(days=1),
        "worker heartbeat": timedelta(minutes=1),
        "keep the lease": LEASE_RENEW,
    }
    assert LEASE_RENEW * 2 < LEASE_TTL, "the holder renews twice before a standby may take over"


def test_each_job_queues_its_task_for_the_worker():
    scheduler = Scheduler(DatabaseLease("scheduler", TTL))
    for each in SCHEDULE:
        assert scheduler.fire(each)
    assert queued() == sorted(
        [
            "appointments.tasks.purge_expired_requests",
            "appointments.tasks.sweep_notifications",
            "operations.tasks.prune_task_results",
            "operations.tasks.purge_old_audit_events",
            "operations.tasks.worker_heartbeat",
        ]
    )


def test_every_job_also_fires_when_the_scheduler_starts():
    # Else a scheduler restarted more often than daily would never purge.
    started = time.time()
    scheduler = Scheduler(DatabaseLease("scheduler", TTL)).build()
    first_runs = {
        j.name: j.next_run_time.timestamp() for j in scheduler.get_jobs() if j.name in {s.name for s in SCHEDULE}
    }
    assert set(first_runs) == {s.name for s in SCHEDULE}
    assert all(started - 1 <= at <= time.time() + 1 for at in first_runs.values())


def test_a_second_scheduler_does_not_fire_while_the_first_holds_the_lease():
    first = Scheduler(DatabaseLease("scheduler", TTL))
    second = Scheduler(DatabaseLease("scheduler", TTL))
    sweep = job("mail sweep")
    with freeze_time("2026-03-02 14:00:00") as frozen:
        assert first.fire(sweep)
        assert not second.fire(sweep)
        frozen.tick(timedelta(seconds=60))
        assert first.fire(sweep), "the holder renews its own lease"
        frozen.tick(timedelta(seconds=60))
        assert not second.fire(sweep), "renewed 60 s ago: still the first's"
        frozen.tick(timedelta(seconds=31))
        assert second.fire(sweep), "the first stopped renewing: the second takes over"
        assert not first.fire(sweep)
    assert queued() == ["appointments.tasks.sweep_notifications"] * 3
    assert Lease.objects.get().holder == second.lease.holder


def test_a_scheduler_that_stops_hands_over_at_once():
    first, second = DatabaseLease("scheduler", TTL), DatabaseLease("scheduler", TTL)
    assert first.hold()
    assert not second.hold()
    first.release()
    assert second.hold()


def test_the_holder_records_that_the_scheduler_is_alive():
    with freeze_time("2026-03-02 14:00:00") as frozen:
        assert Scheduler(DatabaseLease("scheduler", TTL)).keep_lease()
        frozen.tick(timedelta(seconds=10))
        assert not Scheduler(DatabaseLease("scheduler", TTL)).keep_lease(), "a standby records nothing"
    [(process, seen_at)] = Heartbeat.last_seen().items()
    assert (process, seen_at.isoformat()) == ("scheduler", "2026-03-02T14:00:00+00:00")


def test_an_unwritable_queue_is_logged_and_tried_again_at_the_next_run(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionError("task queue unavailable")

    monkeypatch.setattr(DBTaskResult.objects, "create", refuse)
    scheduler = Scheduler(DatabaseLease("scheduler", TTL))
    with caplog.at_level(logging.WARNING):
        assert not scheduler.fire(job("mail sweep"))
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "could not queue the mail sweep (ConnectionError: task queue unavailable)" in record.getMessage()


def test_with_redis_url_the_lease_lives_in_redis(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert isinstance(lease("scheduler", TTL), RedisLease)
    settings.REDIS_URL = ""
    assert isinstance(lease("scheduler", TTL), DatabaseLease)


def test_with_redis_a_second_scheduler_does_not_fire_while_the_first_holds_the_lease(redis_server):
    name = f"test-scheduler-{uuid.uuid4().hex[:8]}"
    short = timedelta(seconds=1)
    first = Scheduler(RedisLease(name, short, url=redis_server))
    second = Scheduler(RedisLease(name, short, url=redis_server))
    sweep = job("mail sweep")
    try:
        assert first.fire(sweep)
        assert not second.fire(sweep)
        assert first.fire(sweep), "the holder renews its own lease"
        time.sleep(1.2)
        assert second.fire(sweep), "the first's lease ran out: the second takes over"
        assert not first.fire(sweep)
        second.lease.release()
        assert first.fire(sweep), "released: the first takes it back at once"
    finally:
        first.lease.release()
    assert queued() == ["appointments.tasks.sweep_notifications"] * 4


def test_with_redis_down_no_scheduler_fires_and_the_cause_is_logged(caplog):
    closed = "redis://127.0.0.1:1/0"
    scheduler = Scheduler(RedisLease("scheduler", TTL, url=closed))
    with caplog.at_level(logging.WARNING):
        assert not scheduler.fire(job("mail sweep"))
    assert queued() == []
    assert any("Lease scheduler not held: Redis failed" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_run_scheduler_fires_every_job_at_start_and_releases_the_lease_when_stopped(settings):
    # The command as the Procfile runs it, in this process: SIGTERM (as honcho or systemd sends) stops it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def stop_once_queued() -> None:
        deadline = time.monotonic() + 20
        while DBTaskResult.objects.count() < len(SCHEDULE) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    stopper = threading.Thread(target=stop_once_queued)
    stopper.start()
    try:
        call_command("run_scheduler")
    finally:
        stopper.join()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == sorted(
        j.task.module_path for j in SCHEDULE
    )
    assert not Lease.objects.exists(), "released on the way out: another scheduler takes over at once"
    assert Heartbeat.objects.filter(process="scheduler").exists()


def test_pruning_deletes_finished_task_rows_older_than_a_fortnight():
    fresh, old = worker_heartbeat.enqueue(), worker_heartbeat.enqueue()
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now())
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=timezone.now() - timedelta(days=15))
    prune_task_results.call()
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [uuid.UUID(fresh.id)]


def test_pruning_has_nothing_to_do_on_another_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    prune_task_results.call()  # no error: there are no rows to prune


def test_a_database_that_fails_holds_no_lease_and_says_why(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Lease.objects, "filter", refuse)
    with caplog.at_level(logging.WARNING):
        assert not DatabaseLease("scheduler", TTL).hold()
    assert "Lease scheduler not held: the database failed (OperationalError: server closed" in caplog.text


def test_heartbeats_and_leases_read_as_what_they_are():
    with freeze_time(NOW):
        Heartbeat.beat(Heartbeat.Process.WORKER)
        DatabaseLease("scheduler", TTL, holder="web-1:42:abc").hold()
    assert str(Heartbeat.objects.get()) == "Task worker: 2026-03-02 14:00"
    assert str(Lease.objects.get()) == "scheduler: web-1:42:abc"


def test_the_audit_trail_purge_keeps_six_years(settings):
    with freeze_time("2019-06-01"):  # more than six years before
        old = AuditEvent.record(AuditEvent.Action.VIEW, username="clerk", reference="ABCD-EFGH")
    with freeze_time("2026-01-01"):
        recent = AuditEvent.record(AuditEvent.Action.VIEW, username="clerk", reference="ABCD-EFGH")
        purge_old_audit_events.call()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk
