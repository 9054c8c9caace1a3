from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from audit.models import AuditEvent

from .forms import AppointmentRequestForm
from .models import AppointmentRequest, StatusChange, new_reference
from .tasks import notify_new_request

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
    says no, the insert is rolled back and OverLimit raised.
    """
    appointment = form.save(commit=False)
    appointment.submission_token = form.cleaned_data["form_token"]
    appointment.source_article = source_article
    appointment.source_path = source_path[:255]
    if form.is_spam:
        appointment.status = AppointmentRequest.Status.SPAM
        appointment.spam_reason = "honeypot"
    for _attempt in range(3):
        try:
            with transaction.atomic():
                appointment.save()
                if over_limit is not None and over_limit():
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


def queue_notifications(appointment: AppointmentRequest) -> None:
    """Once the request is committed, queue its emails: one row for the worker, no mail server here.

    robust: a failure to queue is logged, never turned into an error page for the patient;
    `send_notifications` picks up requests that were missed.
    """
    pk = appointment.pk

    def enqueue_notifications() -> None:  # named: Django logs a robust callback's __qualname__
        notify_new_request.enqueue(pk)

    transaction.on_commit(enqueue_notifications, robust=True)


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
