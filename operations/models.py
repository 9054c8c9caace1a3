"""State the background processes share across machines. Nothing in here is about a patient."""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a background process last did its work: the worker ran a task, the scheduler held its lease."""

    class Process(models.TextChoices):
        WORKER = "worker", _("Task worker")
        SCHEDULER = "scheduler", _("Scheduler")

    process = models.CharField(_("process"), max_length=20, choices=Process.choices, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.get_process_display()}: {self.seen_at:%Y-%m-%d %H:%M}"

    @classmethod
    def beat(cls, process: str) -> None:
        now = timezone.now()
        if not cls.objects.filter(process=process).update(seen_at=now):
            cls.objects.get_or_create(process=process, defaults={"seen_at": now})

    @classmethod
    def last_seen(cls) -> dict[str, datetime]:
        return dict(cls.objects.values_list("process", "seen_at"))


class Lease(models.Model):
    """A lock that expires: who holds `name` until when (operations.leases.DatabaseLease)."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    holder = models.CharField(_("holder"), max_length=100)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder}"
