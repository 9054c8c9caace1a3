import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

# No 0/O or 1/I: a reference is read aloud over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


class AppointmentRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed")
        SPAM = "spam", _("Spam")

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

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    spam_reason = models.CharField(_("spam reason"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} — {self.first_name} {self.last_name}"

    @property
    def source_label(self) -> str:
        return str(self.source_article) if self.source_article_id else _("Appointment request page")
