from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count

from appointments.models import AppointmentRequest
from audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Delete closed and spam appointment requests not changed for APPOINTMENT_RETENTION_DAYS days, "
        "with their notes and history. Safe to run daily; the audit trail, which names each by reference, stays."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be deleted; delete nothing.")
        parser.add_argument("--days", type=int, help="Override APPOINTMENT_RETENTION_DAYS for this run.")

    def handle(self, *args, dry_run: bool = False, days: int | None = None, **options) -> None:
        days = settings.APPOINTMENT_RETENTION_DAYS if days is None else days
        if days < 1:
            self.stderr.write("Refusing to purge with a retention of less than one day.")
            return
        expired = AppointmentRequest.objects.past_retention(days)
        counts = dict(expired.order_by().values_list("status").annotate(n=Count("pk")))
        closed = counts.get(AppointmentRequest.Status.CLOSED, 0)
        spam = counts.get(AppointmentRequest.Status.SPAM, 0)
        if not dry_run and closed + spam:
            with transaction.atomic():
                AuditEvent.objects.bulk_create(
                    AuditEvent(
                        action=AuditEvent.Action.DELETE,
                        username="purge_appointments",
                        reference=appointment.reference,
                        detail=f"retention: not changed for {days} days",
                    )
                    for appointment in expired.only("pk", "reference")
                )
                expired.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {closed + spam} appointment requests ({closed} closed, {spam} spam) "
            f"not changed for more than {days} days."
        )
