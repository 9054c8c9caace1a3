import logging
import signal

from django.core.management.base import BaseCommand

from operations.leases import lease
from operations.scheduler import LEASE_NAME, LEASE_TTL, Scheduler

logger = logging.getLogger("operations.scheduler")


class Command(BaseCommand):
    help = (
        "Fire the recurring jobs (mail sweep, retention purge, pruning task rows, worker heartbeat) by queueing "
        "their tasks for the worker. The Procfile's scheduler process; safe to run on every machine: one fires."
    )

    def handle(self, *args, **options) -> None:
        scheduler = Scheduler(lease(LEASE_NAME, LEASE_TTL))
        blocking = scheduler.build()

        def stop(signum, frame) -> None:
            blocking.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("Scheduler %s started: %s.", scheduler.lease.holder, ", ".join(j.name for j in scheduler.schedule))
        try:
            blocking.start()
        finally:
            # Hand over at once rather than when the lease runs out.
            scheduler.lease.release()
            logger.info("Scheduler %s stopped.", scheduler.lease.holder)
