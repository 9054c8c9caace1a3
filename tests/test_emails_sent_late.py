"""A backlog or a retry sends the right email at the right time, and a person can release one stuck in Sending."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse_lazy
from django.utils import timezone
from freezegun import freeze_time

from appointments.models import Notification
from appointments.tasks import deliver, notify_new_request, sweep_notifications
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = "2026-03-02 14:00:00"
NOTIFICATIONS = reverse_lazy("admin:appointments_notification_changelist")


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CLINIC_NOTIFY_EMAIL = "inbox@clinic.example"


def test_a_retry_due_in_five_minutes_is_not_sent_before_then(make_request):
    with freeze_time(NOW) as frozen:
        retry = Notification.objects.create(
            request=make_request(), kind="staff", status="retrying", attempts=1,
            next_attempt_at=timezone.now() + timedelta(minutes=5),
        )  # fmt: skip
        assert deliver(retry.pk) == "retrying"
        assert mail.outbox == []
        frozen.tick(timedelta(minutes=5))
        assert deliver(retry.pk) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("status", ["contacted", "scheduled", "closed"])
def test_a_late_confirmation_is_not_sent_to_a_request_already_dealt_with(make_request, status):
    appointment = make_request(status=status)
    notify_new_request.call(appointment.pk)
    assert [m.to for m in mail.outbox] == [["inbox@clinic.example"]], "the clinic's inbox still hears of it"
    patient = Notification.objects.get(request=appointment, kind="patient")
    assert (patient.status, patient.attempts) == ("skipped", 0)
    assert patient.get_status_display() == "Not sent: request already dealt with"


def test_a_new_request_still_gets_its_confirmation_from_the_sweep(make_request):
    with freeze_time(NOW) as frozen:
        appointment = make_request()  # the queue never had it
        frozen.tick(timedelta(minutes=3))
        assert sweep_notifications.call() == {"retried": 0, "sent": 0, "caught_up": 1}
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "inbox@clinic.example"]
    assert set(Notification.objects.filter(request=appointment).values_list("status", flat=True)) == {"sent"}


def test_the_sweep_sends_an_email_left_waiting_by_a_worker_that_died(make_request):
    with freeze_time(NOW) as frozen:
        appointment = make_request()
        for kind in ("staff", "patient"):
            Notification.objects.create(request=appointment, kind=kind)  # created, never sent
        frozen.tick(timedelta(minutes=1))
        assert sweep_notifications.call()["retried"] == 0, "not while the worker may still be on it"
        frozen.tick(timedelta(minutes=2))
        assert sweep_notifications.call() == {"retried": 2, "sent": 2, "caught_up": 0}
    assert len(mail.outbox) == 2


@pytest.fixture
def stuck(make_request):
    appointment = make_request()
    return Notification.objects.create(request=appointment, kind="patient", status="sending", attempts=1)


def test_a_clerk_releases_an_email_stuck_in_sending_and_it_is_sent_once(
    client, staff, stuck, django_capture_on_commit_callbacks
):
    clerk = staff("Front desk")
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NOTIFICATIONS, {"action": "release", "_selected_action": [stuck.pk]}, follow=True)
    assert "1 emails released: they will be sent again shortly." in response.content.decode()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1
    [event] = AuditEvent.objects.filter(action="change")
    assert (event.username, event.reference) == (clerk.username, stuck.request.reference)
    assert event.detail == "email released for sending again: Patient confirmation"
    assert "Ana" not in event.detail and "example.com" not in event.detail


def test_release_leaves_emails_that_are_not_stuck_alone(client, staff, stuck, make_request):
    sent = Notification.objects.create(request=make_request(), kind="staff", status="sent", attempts=1)
    client.force_login(staff("Front desk"))
    client.post(NOTIFICATIONS, {"action": "release", "_selected_action": [sent.pk]})
    sent.refresh_from_db()
    assert sent.status == "sent"
    assert not AuditEvent.objects.filter(action="change").exists()
    assert mail.outbox == []


def test_an_editor_cannot_release_emails(client, staff, stuck):
    client.force_login(staff("Editors"))
    response = client.post(NOTIFICATIONS, {"action": "release", "_selected_action": [stuck.pk]})
    assert response.status_code == 403
    stuck.refresh_from_db()
    assert stuck.status == "sending"
