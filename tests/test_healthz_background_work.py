"""/healthz answers 200 or 503 on the database alone (test_database_outage.py); its body also tells monitoring
how the background work is doing: when the worker and the scheduler last ran, how old the oldest unsent email is."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from appointments.models import Notification
from operations.models import Heartbeat
from operations.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db

NOW = "2026-03-02 14:00:00"


def test_before_any_background_process_ran_healthz_says_so(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker_last_ran": None,
        "scheduler_last_ran": None,
        "oldest_unsent_email_seconds": None,
    }


def test_healthz_says_when_the_worker_last_ran_and_how_old_the_oldest_unsent_email_is(client, make_request):
    with freeze_time(NOW) as frozen:
        worker_heartbeat.call()  # what the worker does when it takes the scheduler's heartbeat task
        Heartbeat.beat(Heartbeat.Process.SCHEDULER)
        appointment = make_request()
        Notification.objects.create(request=appointment, kind="staff", status="sent")
        Notification.objects.create(request=appointment, kind="patient", status="retrying")
        frozen.tick(timedelta(minutes=7))
        body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker_last_ran"] == "2026-03-02T14:00:00+00:00"
    assert body["scheduler_last_ran"] == "2026-03-02T14:00:00+00:00"
    assert body["oldest_unsent_email_seconds"] == 7 * 60
    assert "Ana" not in str(body) and "example.com" not in str(body)


def test_old_background_work_never_makes_healthz_fail(client, make_request):
    with freeze_time(timezone.now() - timedelta(days=3)):
        Notification.objects.create(request=make_request(), kind="staff", status="failed")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["oldest_unsent_email_seconds"] >= 3 * 24 * 3600


def test_a_database_without_the_operations_tables_still_answers_200(client):
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(f"DROP TABLE {Heartbeat._meta.db_table}")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "background": "unknown"}
