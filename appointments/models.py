import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic import phones

# What the patient fills in on the form; the front desk reads them, never edits them.
PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "new_patient",
    "preferred_day",
    "preferred_time",
    "message",
)
# No 0/O or 1/I: a reference is read aloud over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def urgency() -> Case:
    """Rank of a request's status in the workflow, 0 for new up to spam: what needs doing sorts first."""
    order = [status for status, _label in AppointmentRequest.Status.choices]
    return Case(*(When(status=status, then=Value(i)) for i, status in enumerate(order)), default=Value(len(order)))


class AppointmentRequestQuerySet(models.QuerySet):
    def waiting(self):
        """New requests: a patient is waiting for a call."""
        return self.filter(status=AppointmentRequest.Status.NEW)

    def flag_duplicates(self):
        """Annotate `has_duplicates`: another request from the same phone or email close in time."""
        return self.annotate(has_duplicates=Exists(AppointmentRequest.objects.filter(duplicates_of(OuterRef))))

    def past_retention(self, days: int):
        """Requests dealt with (AppointmentRequest.DEALT_WITH) and untouched for more than `days` days."""
        cutoff = timezone.now() - timedelta(days=days)
        return self.filter(status__in=AppointmentRequest.DEALT_WITH, updated_at__lt=cutoff)


class AppointmentRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed")
        SPAM = "spam", _("Spam")

    # What the privacy notice calls "dealt with": its retention period runs from the last change.
    DEALT_WITH = (Status.SCHEDULED, Status.CLOSED, Status.SPAM)

    class Day(models.TextChoices):
        ANY = "any", _("Any day")
        MONDAY = "monday", _("Monday")
        TUESDAY = "tuesday", _("Tuesday")
        WEDNESDAY = "wednesday", _("Wednesday")
        THURSDAY = "thursday", _("Thursday")
        FRIDAY = "friday", _("Friday")

    class Time(models.TextChoices):
        ANY = "any", _("Any time")
        MORNING = "morning", _("Morning (8 am to noon)")
        AFTERNOON = "afternoon", _("Afternoon (noon to 5 pm)")

    reference = models.CharField(_("reference"), max_length=9, unique=True, default=new_reference, editable=False)
    submission_token = models.UUIDField(_("submission token"), unique=True, editable=False)

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, help_text=_("E.164 format"))
    email = models.EmailField(_("email"), max_length=254)
    new_patient = models.BooleanField(_("new patient"))
    preferred_day = models.CharField(_("preferred day"), max_length=10, choices=Day.choices)
    preferred_time = models.CharField(_("preferred time"), max_length=10, choices=Time.choices)
    message = models.TextField(_("reason for visit / comments"), blank=True)

    source_article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("sent from article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_requests",
    )
    source_path = models.CharField(_("sent from page"), max_length=255)
    # The front desk calls back in it; the patient's confirmation email is written in it.
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="en")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    spam_reason = models.CharField(_("spam reason"), max_length=100, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_appointment_requests",
        limit_choices_to={"is_staff": True, "is_active": True},
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AppointmentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} — {self.first_name} {self.last_name}"

    @property
    def phone_for_calling(self) -> str:
        """The number as the front desk dials it: national format at home, international otherwise."""
        return phones.for_calling(self.phone)

    @property
    def source_label(self) -> str:
        return str(self.source_article) if self.source_article_id else _("Appointment request page")

    def possible_duplicates(self) -> AppointmentRequestQuerySet:
        """Other requests from the same phone or email close in time: the patient may already be called."""
        return AppointmentRequest.objects.filter(duplicates_of(self)).order_by("created_at")


def duplicates_of(appointment) -> Q:
    """Same phone or email, within APPOINTMENT_DUPLICATE_DAYS either side, not itself.

    `appointment` is a request, or the OuterRef class to flag each row of a list in one query.
    """
    window = timedelta(days=settings.APPOINTMENT_DUPLICATE_DAYS)

    def field(name: str):
        return OuterRef(name) if appointment is OuterRef else getattr(appointment, name)

    same_person = Q(phone=field("phone")) | Q(email__iexact=field("email"))
    close_in_time = Q(created_at__gte=field("created_at") - window, created_at__lte=field("created_at") + window)
    return same_person & close_in_time & ~Q(pk=field("pk"))


class StatusChange(models.Model):
    """One move of a request through the workflow, with who made it and when."""

    request = models.ForeignKey(
        AppointmentRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=AppointmentRequest.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=AppointmentRequest.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Note(models.Model):
    """An internal note by the front desk; patients never see it."""

    request = models.ForeignKey(
        AppointmentRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return _("Note by %(author)s") % {"author": self.author or _("a former user")}


class Notification(models.Model):
    """The delivery state of one email about one request: sent at most once, retried until then."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Clinic inbox")
        PATIENT = "patient", _("Patient confirmation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed, gave up")
        SKIPPED = "skipped", _("Not sent: request already dealt with")

    # Not sent, and not given up on by design: the oldest of these says how far behind the mail is.
    UNSENT = (Status.PENDING, Status.RETRYING, Status.SENDING, Status.FAILED)

    request = models.ForeignKey(
        AppointmentRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("email"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("email notification")
        verbose_name_plural = _("email notifications")
        ordering = ["-created_at", "kind"]
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="one_notification_per_request_kind")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"
