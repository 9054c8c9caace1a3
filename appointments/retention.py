"""What the privacy notice promises: a request that was dealt with is deleted APPOINTMENT_RETENTION_DAYS later.

"Dealt with" is AppointmentRequest.DEALT_WITH (closed, spam, or a visit booked);
the days count from the request's last change. The notice (templates/pages/privacy.html)
says the same; tests/test_retention.py holds the two together.
"""

from django.db import transaction
from django.db.models import Count

from audit.models import AuditEvent

from .models import AppointmentRequest

PURGED_BY = "purge_appointments"


def purge_expired(days: int, *, dry_run: bool = False) -> dict[str, int]:
    """Delete the requests past retention (with their notes, history and emails); counts by status.

    The audit trail keeps each deleted reference, so "who had this request" still has an answer.
    """
    if days < 1:
        raise ValueError("A retention of less than one day would delete requests still being worked on.")
    expired = AppointmentRequest.objects.past_retention(days)
    counts = dict(expired.order_by().values_list("status").annotate(n=Count("pk")))
    if dry_run or not counts:
        return counts
    with transaction.atomic():
        AuditEvent.objects.bulk_create(
            AuditEvent(
                action=AuditEvent.Action.DELETE,
                username=PURGED_BY,
                reference=appointment.reference,
                detail=f"retention: dealt with and not changed for {days} days",
            )
            for appointment in expired.only("pk", "reference")
        )
        expired.delete()
    return counts
