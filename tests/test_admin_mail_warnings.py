"""The admin index tells staff when emails are not going out, and what to do about it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from appointments.models import Notification
from operations.models import Heartbeat

pytestmark = pytest.mark.django_db

NOW = "2026-03-02 14:00:00"


def warnings_on_index(client) -> list[str]:
    page = client.get(reverse("admin:index")).content.decode()
    section = re.search(r'<section[^>]*id="mail-warnings".*?</section>', page, re.S)
    return [] if section is None else re.findall(r"<li>(.*?)</li>", section.group(0), re.S)


@pytest.fixture
def clerk(client, staff):
    client.force_login(staff("Front desk"))
    return client


def beat(process: str, minutes_ago: float) -> None:
    Heartbeat.objects.update_or_create(
        process=process, defaults={"seen_at": timezone.now() - timedelta(minutes=minutes_ago)}
    )


def test_nothing_to_say_while_emails_go_out(clerk):
    with freeze_time(NOW):
        beat("scheduler", 0.5)
        beat("worker", 1)
        assert warnings_on_index(clerk) == []


def test_a_scheduler_never_started_is_named_with_what_to_do(clerk):
    with freeze_time(NOW):
        [warning] = warnings_on_index(clerk)
    assert warning.startswith("The scheduler is not running (last seen: never)")
    assert "start the Procfile&#x27;s scheduler process" in warning


def test_a_worker_not_seen_for_ten_minutes_is_named_with_what_to_do(clerk):
    with freeze_time(NOW):
        beat("scheduler", 0.5)
        beat("worker", 9)
        assert warnings_on_index(clerk) == []
        beat("worker", 11)
        [warning] = warnings_on_index(clerk)
    assert warning.startswith("Emails are not going out: the task worker has not run since ")
    assert "manage.py db_worker" in warning


def test_overdue_and_given_up_emails_are_counted(clerk, make_request):
    with freeze_time(NOW) as frozen:
        beat("scheduler", 0)
        beat("worker", 0)
        appointment, other = make_request(), make_request()
        Notification.objects.create(request=appointment, kind="staff")  # waiting since now
        Notification.objects.create(
            request=appointment, kind="patient", status="retrying", next_attempt_at=timezone.now()
        )
        Notification.objects.create(request=other, kind="staff", status="failed", attempts=8)
        frozen.tick(timedelta(minutes=11))
        beat("scheduler", 0)
        beat("worker", 0)
        overdue, gave_up = warnings_on_index(clerk)
    assert overdue.startswith("2 emails are more than ten minutes overdue.")
    assert "EMAIL_URL" in overdue
    assert gave_up.startswith("1 emails gave up after every retry.")
    assert "Retry now" in gave_up


def test_editors_are_not_told_about_the_front_desk_mail(client, staff):
    client.force_login(staff("Editors"))
    assert warnings_on_index(client) == []
