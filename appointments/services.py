import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django_tasks.base import Task

from audit.models import AuditEvent
from clinic.failures import cause
from clinic.languages import page_language

from .forms import AppointmentRequestForm
from .models import AppointmentRequest, StatusChange, new_reference
from .tasks import deliver_notification, notify_new_request

logger = logging.getLogger(__name__)

if TYPE_CHECKING:  # articles embed the form; appointments never imports articles
    from articles.models import Article


def find_submission(form: AppointmentRequestForm) -> AppointmentRequest | None:
    """The request already stored from this rendered form (a double submit), if any."""
    # get() rather than first(): no ORDER BY on a unique look-up.
    try:
        return AppointmentRequest.objects.get(submission_token=form.cleaned_data["form_token"])
    except AppointmentRequest.DoesNotExist:
        return None


class OverLimit(Exception):
    """The client is past the rate limit: the request was not stored."""


def submit_request(
    *,
    form: AppointmentRequestForm,
    source_path: str,
    source_article: "Article | None" = None,
    over_limit: Callable[[], bool] | None = None,
) -> AppointmentRequest:
    """Store a valid request exactly once per rendered form and return it.

    A honeypot hit is stored too, marked as spam, so nothing is silently dropped.
    The row is inserted first: a double submit fails on the unique submission
    token and gets the stored request back, without a look-up on every first
    submission. `over_limit` (which counts one submission) runs only after a
    real insert, in the same transaction, so a double submit never counts; if it
    says no, the insert is rolled back and OverLimit raised. If the count itself
    fails (Redis down, the cache table missing), the request is let through.
    """
    appointment = form.save(commit=False)
    appointment.submission_token = form.cleaned_data["form_token"]
    appointment.source_article = source_article
    appointment.source_path = source_path[:255]
    appointment.language = page_language()
    if form.is_spam:
        appointment.status = AppointmentRequest.Status.SPAM
        appointment.spam_reason = "honeypot"
    for _attempt in range(3):
        try:
            with transaction.atomic():
                appointment.save()
                if over_limit is not None and counted_over_limit(over_limit):
                    raise OverLimit
                if not form.is_spam:
                    queue_notifications(appointment)
            return appointment
        except IntegrityError:
            # Either a concurrent double submit won the race, or (rarely) the
            # random reference was taken: the first means done, the second retry.
            if existing := find_submission(form):
                return existing
            appointment.reference = new_reference()
    raise IntegrityError("Could not allocate a unique appointment reference.")


def counted_over_limit(over_limit: Callable[[], bool]) -> bool:
    """Count this submission; a failing cache lets it through (fails open) rather than lose it.

    In a savepoint, so a failing database cache undoes the count and never the stored request.
    A patient turned away is a patient who may not call; a limit missed once costs one extra row.
    """
    try:
        with transaction.atomic():
            return over_limit()
    except Exception as error:  # whatever the cache raises, the request stays stored
        if transaction.get_rollback():
            raise  # the database itself failed, so the request cannot be stored either
        logger.warning("Rate limit not counted for one request, which was let through (%s).", cause(error))
        return False


def queue_notifications(appointment: AppointmentRequest) -> None:
    """Once the request is committed, queue its emails: one row for the worker, no mail server here."""
    enqueue_after_commit(notify_new_request, appointment.pk, "the emails of a new request")


def queue_delivery(notification_id: int) -> None:
    enqueue_after_commit(deliver_notification, notification_id, "an email")


def enqueue_after_commit(task: Task, pk: int, what: str) -> None:
    """Queue `task(pk)` once the transaction commits; a queue that fails is logged, never an error page.

    The scheduler's mail sweep (appointments.tasks.sweep_notifications) sends what was missed.
    """

    def enqueue() -> None:
        try:
            task.enqueue(pk)
        except Exception as error:  # the queue is unwritable; the request is committed already
            logger.warning("Could not queue %s (id %s): the mail sweep sends it later (%s).", what, pk, cause(error))

    transaction.on_commit(enqueue)


@transaction.atomic
def change_status(appointment: AppointmentRequest, status: str, *, by, request=None, detail: str = "") -> bool:
    """Move a request to `status`, recording who did it (and, given the admin's `request`, from where).

    False if it was already there.

    A request taken out of spam gets the notifications it was held back from.
    """
    previous = appointment.status
    if previous == status:
        return False
    appointment.status = status
    spam = AppointmentRequest.Status.SPAM
    if status == spam:
        appointment.spam_reason = appointment.spam_reason or "marked by staff"
    appointment.save(update_fields=["status", "spam_reason", "updated_at"])
    StatusChange.objects.create(request=appointment, from_status=previous, to_status=status, changed_by=by)
    change = f"status: {previous} → {status}"
    AuditEvent.record(
        AuditEvent.Action.CHANGE,
        request=request,
        username=by.get_username() if by is not None else "system",
        reference=appointment.reference,
        detail=f"{change} {detail}".strip(),
    )
    if previous == spam:
        queue_notifications(appointment)
    return True
