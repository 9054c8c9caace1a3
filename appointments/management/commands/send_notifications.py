from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from appointments.models import AppointmentRequest, Notification
from appointments.tasks import deliver, notify_new_request


class Command(BaseCommand):
    help = (
        "Send notification emails that are due: failed sends whose retry time has come, and recent "
        "requests whose emails were never queued. Never sends one twice. Safe to run from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hours", type=int, default=24, help="How far back to look for missed requests.")

    def handle(self, *args, hours: int = 24, **options) -> None:
        now = timezone.now()
        due = Notification.objects.filter(status=Notification.Status.RETRYING, next_attempt_at__lte=now)
        results = [deliver(pk) for pk in due.values_list("pk", flat=True)]
        # Give the worker a couple of minutes before stepping in for it.
        missed = (
            AppointmentRequest.objects.exclude(status=AppointmentRequest.Status.SPAM)
            .filter(created_at__range=(now - timedelta(hours=hours), now - timedelta(minutes=2)))
            .annotate(emails=Count("notifications"))
            .filter(emails__lt=len(Notification.Kind.values))
        )
        caught_up = 0
        for pk in missed.values_list("pk", flat=True):
            notify_new_request.call(pk)
            caught_up += 1
        sent = results.count(Notification.Status.SENT)
        self.stdout.write(f"Retried {len(results)} emails ({sent} sent); queued {caught_up} missed requests.")
