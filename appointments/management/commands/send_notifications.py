from django.core.management.base import BaseCommand

from appointments.tasks import sweep_notifications


class Command(BaseCommand):
    help = (
        "Send notification emails that are due now: failed sends whose retry time has come, emails left waiting, "
        "and recent requests whose emails were never queued. Never sends one twice. The scheduler queues the same "
        "sweep every few minutes; this runs it at once, for a person."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hours", type=int, default=24, help="How far back to look for missed requests.")

    def handle(self, *args, hours: int = 24, **options) -> None:
        done = sweep_notifications.call(hours)
        self.stdout.write(
            f"Retried {done['retried']} emails ({done['sent']} sent); queued {done['caught_up']} missed requests."
        )
