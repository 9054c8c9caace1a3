from django.db import IntegrityError, transaction

from articles.models import Article

from .forms import AppointmentRequestForm
from .models import AppointmentRequest, new_reference


def find_submission(form: AppointmentRequestForm) -> AppointmentRequest | None:
    """The request already stored from this rendered form (a double submit), if any."""
    # get() rather than first(): no ORDER BY on a unique look-up.
    try:
        return AppointmentRequest.objects.get(submission_token=form.cleaned_data["form_token"])
    except AppointmentRequest.DoesNotExist:
        return None


def submit_request(
    *, form: AppointmentRequestForm, source_path: str, source_article: Article | None = None
) -> AppointmentRequest:
    """Store a valid request exactly once per rendered form and return it.

    A honeypot hit is stored too, marked as spam, so nothing is silently dropped.
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
            return appointment
        except IntegrityError:
            # Either a concurrent double submit won the race, or (rarely) the
            # random reference was taken: the first means done, the second retry.
            if existing := find_submission(form):
                return existing
            appointment.reference = new_reference()
    raise IntegrityError("Could not allocate a unique appointment reference.")
