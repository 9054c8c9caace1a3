"""Emails about new requests, sent by the task worker after the request is committed.

Each (request, kind) has one Notification row. A worker claims it with a
conditional UPDATE before sending, only once its retry time has come, so two
workers never send the same email; a failure is recorded and retried later with
a growing delay. The patient's confirmation ("our front desk will call you") is
not sent once the front desk has moved the request on: a backlog sent late must
not tell a patient who was already called, booked or closed to wait for a call.
The scheduler queues the sweep and the retention purge below (operations.scheduler).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task

from clinic import details
from clinic.failures import cause

from .models import AppointmentRequest, Notification
from .retention import purge_expired

logger = logging.getLogger(__name__)

# Minutes to wait before attempt 2, 3, ...; the last delay repeats.
RETRY_DELAYS = [1, 5, 15, 60, 180, 720]


def retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1])


@task()
def notify_new_request(request_id: int) -> None:
    """Email the clinic inbox and the patient about a request, unless it is (now) spam."""
    appointment = AppointmentRequest.objects.filter(pk=request_id).first()
    if appointment is None or appointment.status == AppointmentRequest.Status.SPAM:
        return
    for kind in Notification.Kind.values:
        notification, _created = Notification.objects.get_or_create(request=appointment, kind=kind)
        deliver(notification.pk)


@task()
def deliver_notification(notification_id: int) -> None:
    deliver(notification_id)


def build_email(notification: Notification) -> EmailMessage:
    appointment = notification.request
    if notification.kind == Notification.Kind.STAFF:
        # Email is not a safe place for health data: a link, nothing about the patient. In English, as the admin is.
        template, language = "staff_notification", settings.LANGUAGE_CODE
    else:
        # Only what we wrote: the form's email field may hold anyone's address. In the language the patient wrote in.
        template, language = "patient_confirmation", appointment.language
    with override(language):
        clinic = details.current()  # its sentences (hours, call-back) in that language
        context = {
            "clinic": clinic,
            "reference": appointment.reference,
            "admin_url": settings.SITE_URL
            + reverse("admin:appointments_appointmentrequest_change", args=[appointment.pk]),
        }
        subject, body = render_to_string(f"appointments/email/{template}.txt", context).split("\n", 1)
    to = appointment.email if template == "patient_confirmation" else settings.CLINIC_NOTIFY_EMAIL or clinic["EMAIL"]
    return EmailMessage(
        subject=subject.strip(),
        body=body.lstrip("\n"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[clinic["EMAIL"]],
    )


def deliver(notification_id: int) -> str:
    """Send one notification if it is still due; return its status afterwards."""
    sendable = [Notification.Status.PENDING, Notification.Status.RETRYING]
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    if not Notification.objects.filter(due, pk=notification_id, status__in=sendable).update(
        status=Notification.Status.SENDING
    ):
        return Notification.objects.get(pk=notification_id).status
    notification = Notification.objects.select_related("request").get(pk=notification_id)
    if notification.kind == Notification.Kind.PATIENT and notification.request.status != AppointmentRequest.Status.NEW:
        notification.status, notification.next_attempt_at = Notification.Status.SKIPPED, None
        notification.save()
        return notification.status
    notification.attempts += 1
    try:
        build_email(notification).send()
    except Exception as error:  # any failure of the mail server is recorded and retried
        notification.last_error = cause(error)  # no address: the list names requests by reference only
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification.status, notification.next_attempt_at = Notification.Status.FAILED, None
        else:
            notification.status = Notification.Status.RETRYING
            notification.next_attempt_at = timezone.now() + retry_delay(notification.attempts)
        notification.save()
        # Ids only: no address or name in the logs.
        logger.warning("Notification %s failed (attempt %s).", notification.pk, notification.attempts)
        schedule_retry(notification)
        return notification.status
    notification.status, notification.sent_at = Notification.Status.SENT, timezone.now()
    notification.last_error, notification.next_attempt_at = "", None
    notification.save()
    return notification.status


def schedule_retry(notification: Notification) -> None:
    # A backend that cannot defer (the immediate one) leaves it to `send_notifications`.
    if notification.status == Notification.Status.RETRYING and deliver_notification.get_backend().supports_defer:
        deliver_notification.using(run_after=notification.next_attempt_at).enqueue(notification.pk)


@task()
def sweep_notifications(hours: int = 24) -> dict[str, int]:
    """Send what is due: retries whose time has come, emails left waiting, and requests never queued.

    Never sends one twice (deliver claims each row). Queued by the scheduler every few minutes.
    """
    now = timezone.now()
    # Give the worker a couple of minutes before stepping in for it.
    settled = now - timedelta(minutes=2)
    due = Notification.objects.filter(
        Q(status=Notification.Status.RETRYING, next_attempt_at__lte=now)
        | Q(status=Notification.Status.PENDING, created_at__lte=settled)
    )
    results = [deliver(pk) for pk in due.values_list("pk", flat=True)]
    missed = (
        AppointmentRequest.objects.exclude(status=AppointmentRequest.Status.SPAM)
        .filter(created_at__range=(now - timedelta(hours=hours), settled))
        .annotate(emails=Count("notifications"))
        .filter(emails__lt=len(Notification.Kind.values))
    )
    caught_up = [notify_new_request.call(pk) for pk in missed.values_list("pk", flat=True)]
    return {"retried": len(results), "sent": results.count(Notification.Status.SENT), "caught_up": len(caught_up)}


@task()
def purge_expired_requests() -> dict[str, int]:
    """The daily retention purge (appointments.retention), queued by the scheduler."""
    return purge_expired(settings.APPOINTMENT_RETENTION_DAYS)
