"""Whether the background processes are doing their work: for /healthz and the admin index. No patient data."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from appointments.models import Notification

from .models import Heartbeat

# The scheduler queues a worker heartbeat every minute and the mail sweep every five:
# ten minutes without either means a process is not running.
SILENT_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class MailHealth:
    now: datetime
    worker_seen: datetime | None
    scheduler_seen: datetime | None
    oldest_unsent: datetime | None
    overdue: int  # emails still waiting SILENT_AFTER past their time
    gave_up: int  # emails that failed NOTIFICATION_MAX_ATTEMPTS times: they wait for a person

    @classmethod
    def read(cls) -> "MailHealth":
        now = timezone.now()
        late = now - SILENT_AFTER
        status = Notification.Status
        overdue = Q(status=status.PENDING, created_at__lt=late) | Q(status=status.RETRYING, next_attempt_at__lt=late)
        unsent = Notification.objects.filter(status__in=Notification.UNSENT).aggregate(
            oldest=Min("created_at"),
            overdue=Count("pk", filter=overdue),
            gave_up=Count("pk", filter=Q(status=status.FAILED)),
        )
        seen = Heartbeat.last_seen()
        return cls(
            now=now,
            worker_seen=seen.get(Heartbeat.Process.WORKER),
            scheduler_seen=seen.get(Heartbeat.Process.SCHEDULER),
            oldest_unsent=unsent["oldest"],
            overdue=unsent["overdue"],
            gave_up=unsent["gave_up"],
        )

    def as_json(self) -> dict[str, str | int | None]:
        oldest = None if self.oldest_unsent is None else int((self.now - self.oldest_unsent).total_seconds())
        return {
            "worker_last_ran": self.worker_seen.isoformat() if self.worker_seen else None,
            "scheduler_last_ran": self.scheduler_seen.isoformat() if self.scheduler_seen else None,
            "oldest_unsent_email_seconds": oldest,
        }

    def warnings(self) -> list[str]:
        """What staff should hear about, each with what to do; empty while emails are going out."""
        found = []
        if self._silent(self.scheduler_seen):
            found.append(
                _(
                    "The scheduler is not running (last seen: %(seen)s): failed emails are not retried, old "
                    "requests are not deleted, and the worker's health cannot be told. Ask whoever runs the server "
                    "to start the Procfile's scheduler process."
                )
                % {"seen": self._when(self.scheduler_seen)}
            )
        elif self._silent(self.worker_seen):
            # Only meaningful while the scheduler runs: it is what queues the worker's heartbeat.
            found.append(
                _(
                    "Emails are not going out: the task worker has not run since %(seen)s. Ask whoever runs the "
                    "server to start the Procfile's worker process (manage.py db_worker)."
                )
                % {"seen": self._when(self.worker_seen)}
            )
        if self.overdue:
            found.append(
                _(
                    "%(count)d emails are more than ten minutes overdue. Check that the worker runs and that the "
                    "mail server answers (EMAIL_URL); Email notifications shows the last error."
                )
                % {"count": self.overdue}
            )
        if self.gave_up:
            found.append(
                _(
                    "%(count)d emails gave up after every retry. Once the mail server works, select them in "
                    "Email notifications and choose Retry now."
                )
                % {"count": self.gave_up}
            )
        return found

    def _silent(self, seen: datetime | None) -> bool:
        return seen is None or self.now - seen > SILENT_AFTER

    def _when(self, seen: datetime | None) -> str:
        return _("never") if seen is None else date_format(timezone.localtime(seen), "DATETIME_FORMAT")
