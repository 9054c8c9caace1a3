"""The clinic inbox gets one link per request, the patient one confirmation; a dead mail server loses nothing."""

from datetime import timedelta
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from freezegun import freeze_time

from appointments.models import AppointmentRequest, Notification
from appointments.services import change_status
from appointments.tasks import notify_new_request

pytestmark = pytest.mark.django_db

FORM_URL = "/appointments/request/"
NOTIFICATIONS_URL = reverse_lazy("admin:appointments_notification_changelist")


class DeadMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        address = email_messages[0].to[0]
        raise SMTPRecipientsRefused({address: (550, f"5.1.1 <{address}>: Recipient address rejected".encode())})


class QueueDown(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        raise ConnectionError("task queue unavailable")


@pytest.fixture(autouse=True)
def _clinic_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CLINIC_NOTIFY_EMAIL = "inbox@clinic.example"
    settings.CLINIC = {**settings.CLINIC, "EMAIL": "frontdesk@clinic.example", "PHONE": "(555) 010-0142"}
    settings.DEFAULT_FROM_EMAIL = "website@clinic.example"
    settings.SITE_URL = "https://clinic.example"


def submit(client, data, capture):
    with capture(execute=True) as callbacks:
        response = client.post(FORM_URL, data)
    assert response.status_code == 302
    return callbacks


def states(appointment: AppointmentRequest) -> set[tuple[str, int]]:
    return set(Notification.objects.filter(request=appointment).values_list("status", "attempts"))


def by_recipient() -> dict[str, mail.EmailMessage]:
    return {message.to[0]: message for message in mail.outbox}


def test_nothing_is_sent_before_the_request_is_committed(client, valid_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(FORM_URL, valid_data)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_request_sends_one_link_to_the_clinic_and_one_confirmation_to_the_patient(
    client, valid_data, django_capture_on_commit_callbacks
):
    submit(client, valid_data, django_capture_on_commit_callbacks)
    appointment = AppointmentRequest.objects.get()
    emails = by_recipient()
    assert set(emails) == {"inbox@clinic.example", "maria.gonzalez@example.com"}

    staff = emails["inbox@clinic.example"]
    assert staff.from_email == "website@clinic.example"
    assert staff.reply_to == ["frontdesk@clinic.example"]
    change_url = reverse("admin:appointments_appointmentrequest_change", args=[appointment.pk])
    assert f"https://clinic.example{change_url}" in staff.body
    private = ["Maria", "Gonzalez", "555", "0143", "maria", "example.com", "fatigue", "Follow-up", "tuesday", "morning"]
    for detail in private:
        assert detail.lower() not in (staff.subject + staff.body).lower(), detail

    patient = emails["maria.gonzalez@example.com"]
    assert patient.reply_to == ["frontdesk@clinic.example"]
    assert "Riverside Family Clinic" in patient.body
    assert "(555) 010-0142" in patient.body
    assert appointment.reference in patient.body
    for echoed in ("Maria", "Gonzalez", "fatigue", "Follow-up"):
        assert echoed not in patient.subject + patient.body, echoed


def test_double_submit_and_a_second_run_send_nothing_more(client, valid_data, django_capture_on_commit_callbacks):
    submit(client, valid_data, django_capture_on_commit_callbacks)
    submit(client, valid_data, django_capture_on_commit_callbacks)
    notify_new_request.call(AppointmentRequest.objects.get().pk)
    call_command("send_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_spam_sends_nothing_until_a_clerk_says_it_is_not_spam(
    client, valid_data, django_capture_on_commit_callbacks, staff
):
    submit(client, valid_data | {"leave_blank": "http://spam.example"}, django_capture_on_commit_callbacks)
    appointment = AppointmentRequest.objects.get()
    assert appointment.status == "spam"
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        change_status(appointment, "new", by=staff("Front desk"))
    assert set(by_recipient()) == {"inbox@clinic.example", "maria.gonzalez@example.com"}


def test_a_dead_mail_server_keeps_the_request_and_retries_later(
    client, valid_data, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.DeadMailServer"
    with freeze_time("2026-03-02 14:00:00"):
        submit(client, valid_data, django_capture_on_commit_callbacks)
    appointment = AppointmentRequest.objects.get()
    assert appointment.first_name == "Maria"
    assert states(appointment) == {("retrying", 1)}
    assert "SMTPServerDisconnected" in Notification.objects.filter(request=appointment).first().last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with freeze_time("2026-03-02 14:00:30"):
        call_command("send_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == [], "not before the back-off delay"
    with freeze_time("2026-03-02 14:00:00") as frozen:
        frozen.tick(timedelta(minutes=2))
        call_command("send_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("send_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2
    assert states(appointment) == {("sent", 2)}


def test_retries_back_off_then_give_up_for_a_person_to_look_at(make_request, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DeadMailServer"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    appointment = make_request()
    delays = []
    with freeze_time("2026-03-02 14:00:00") as frozen:
        notify_new_request.call(appointment.pk)
        while (notification := Notification.objects.get(request=appointment, kind="staff")).next_attempt_at:
            delays.append(notification.next_attempt_at - timezone.now())
            frozen.move_to(notification.next_attempt_at)
            call_command("send_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert delays == [timedelta(minutes=1), timedelta(minutes=5)]
    assert (notification.status, notification.attempts) == ("failed", 3)


def test_a_broken_queue_never_costs_the_patient_their_request(
    client, valid_data, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.QueueDown"}}
    submit(client, valid_data, django_capture_on_commit_callbacks)
    assert AppointmentRequest.objects.count() == 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with freeze_time(timezone.now() + timedelta(minutes=5)):
        call_command("send_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2, "the sweep sends what the queue missed"


def test_failed_emails_show_in_the_admin(client, staff, make_request, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DeadMailServer"
    appointment = make_request()
    notify_new_request.call(appointment.pk)
    client.force_login(staff("Front desk"))
    page = client.get(reverse("admin:appointments_appointmentrequest_change", args=[appointment.pk])).content.decode()
    assert "Failed, will retry" in page
    listing = client.get(NOTIFICATIONS_URL, {"status__exact": "retrying"}).content.decode()
    assert listing.count(appointment.reference) == 2
    assert appointment.last_name not in listing


def test_a_refused_address_is_recorded_without_the_address(client, staff, make_request, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    appointment = make_request()
    notify_new_request.call(appointment.pk)
    errors = list(Notification.objects.filter(request=appointment).values_list("last_error", flat=True))
    assert len(errors) == 2
    for error in errors:
        assert error.startswith("SMTPRecipientsRefused: {'[address]': (550, b'5.1.1 <[address]>: Recipient address")
    client.force_login(staff("Front desk"))
    listing = client.get(NOTIFICATIONS_URL).content.decode()
    assert "Recipient address rejected" in listing
    assert appointment.email not in listing and "@" not in listing.split("<tbody>")[1].split("</tbody>")[0]


def test_a_clerk_can_retry_a_failed_email_from_the_admin(client, staff, make_request, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DeadMailServer"
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    appointment = make_request()
    notify_new_request.call(appointment.pk)
    assert states(appointment) == {("failed", 1)}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(staff("Front desk"))
    pks = list(Notification.objects.values_list("pk", flat=True))
    response = client.post(NOTIFICATIONS_URL, {"action": "retry_now", "_selected_action": pks})
    assert response.status_code == 302
    assert states(appointment) == {("sent", 2)}
    assert len(mail.outbox) == 2
    client.post(NOTIFICATIONS_URL, {"action": "retry_now", "_selected_action": pks})
    assert len(mail.outbox) == 2, "a sent email is never sent again"
