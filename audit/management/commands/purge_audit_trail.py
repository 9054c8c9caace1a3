from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.models import AuditEvent

# The database refuses to delete younger events (migration 0003); HIPAA keeps documentation six years.
SIX_YEARS_DAYS = 2192


class Command(BaseCommand):
    help = (
        "Delete audit events older than AUDIT_RETENTION_DAYS (six years unless set longer). "
        "Safe to run daily; purge_appointments never touches the trail."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be deleted; delete nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        days = settings.AUDIT_RETENTION_DAYS
        if days < SIX_YEARS_DAYS:
            raise CommandError(f"AUDIT_RETENTION_DAYS is {days}: the trail is kept at least {SIX_YEARS_DAYS} days.")
        expired = AuditEvent.objects.filter(at__lt=timezone.now() - timedelta(days=days))
        count = expired.count() if dry_run else expired.delete()[0]
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} audit events older than {days} days.")
