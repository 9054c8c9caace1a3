from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from appointments.models import AppointmentRequest
from appointments.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Delete appointment requests that were dealt with (closed, spam, or a visit booked) and not changed for "
        "APPOINTMENT_RETENTION_DAYS days, with their notes and history. The scheduler runs it daily; "
        "the audit trail keeps each reference."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be deleted; delete nothing.")
        parser.add_argument("--days", type=int, help="Override APPOINTMENT_RETENTION_DAYS for this run.")

    def handle(self, *args, dry_run: bool = False, days: int | None = None, **options) -> None:
        days = settings.APPOINTMENT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("Refusing to purge with a retention of less than one day.")
        counts = purge_expired(days, dry_run=dry_run)
        by_status = ", ".join(f"{counts.get(status, 0)} {status}" for status in AppointmentRequest.DEALT_WITH)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {sum(counts.values())} appointment requests ({by_status}) not changed for more than {days} days."
        )
