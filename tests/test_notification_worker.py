"""The production path: the form queues one row, and the database worker sends the emails later."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from appointments.models import AppointmentRequest, Notification
from appointments.tasks import notify_new_request
from operations.models import Heartbeat
from operations.tasks import worker_heartbeat

# The worker closes database connections between tasks, as a long-running process should:
# real transactions, so the test's own connection survives that on PostgreSQL too.
pytestmark = pytest.mark.django_db(transaction=True)

FORM_URL = "/appointments/request/"


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_form_queues_one_row_and_sends_nothing_itself(client, valid_data):
    with CaptureQueriesContext(connection) as queries:
        assert client.post(FORM_URL, valid_data).status_code == 302
    task_table = DBTaskResult._meta.db_table
    writes = [q["sql"] for q in queries.captured_queries if task_table in q["sql"]]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT")
    assert mail.outbox == []

    run_worker()
    assert len(mail.outbox) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failed_send_is_queued_again_for_later(make_request, settings):
    settings.EMAIL_BACKEND = "tests.test_notifications.DeadMailServer"
    appointment = make_request()
    notify_new_request.enqueue(appointment.pk)
    run_worker()
    retries = DBTaskResult.objects.filter(task_path="appointments.tasks.deliver_notification", status="READY")
    assert retries.count() == 2
    retry_times = set(retries.values_list("run_after", flat=True))
    assert retry_times == set(Notification.objects.values_list("next_attempt_at", flat=True))
    assert AppointmentRequest.objects.filter(pk=appointment.pk).exists()


def test_the_worker_heartbeat_goes_ahead_of_a_backlog_of_emails(make_request):
    for _ in range(3):
        notify_new_request.enqueue(make_request().pk)
    worker_heartbeat.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Heartbeat.objects.filter(process="worker").exists(), "a busy worker is seen alive"
    assert not Notification.objects.exists(), "the emails wait their turn"
