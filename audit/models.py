"""The audit trail: who saw or changed patient data, and who signed in, when and from where. Never edited.

The database itself refuses UPDATE and DELETE on it (triggers, migration 0003), except
the deletion of events older than six years. Requests are named by reference, never by
a foreign key, so purging a request neither blocks on nor cascades into the trail.
"""

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.client_address import client_ip

USER_AGENT_LENGTH = 300


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LIST = "list", _("Listed")
        SEARCH = "search", _("Searched")
        VIEW = "view", _("Viewed")
        HISTORY = "history", _("Viewed history")
        CONFIRM_DELETE = "confirm-delete", _("Asked to delete")
        CHANGE = "change", _("Changed")
        EXPORT = "export", _("Exported")
        DELETE = "delete", _("Deleted")
        SIGN_IN = "sign-in", _("Signed in")
        SIGN_OUT = "sign-out", _("Signed out")

    class Outcome(models.TextChoices):
        OK = "ok", _("Done")
        DENIED = "denied", _("Refused")
        LOCKED = "locked", _("Locked out")

    class Subject(models.TextChoices):
        REQUESTS = "requests", _("Appointment requests")
        TRAIL = "trail", _("Audit trail")
        ACCOUNT = "account", _("Staff sign-in")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # A copy of the name, not a foreign key: the trail outlives accounts, and a key would be updated on deletion.
    username = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OK)
    subject = models.CharField(_("about"), max_length=10, choices=Subject.choices, default=Subject.REQUESTS)
    reference = models.CharField(_("reference"), max_length=9, blank=True, db_index=True)
    # Counts, filter names and references: never a name, a search word or a filter's value.
    detail = models.TextField(_("detail"), blank=True)
    client_address = models.CharField(_("client address"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_LENGTH, blank=True)

    class Meta:
        db_table = "appointments_auditevent"  # made by the appointments app, where the trail began
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.reference}".strip()

    @classmethod
    def record(
        cls,
        action: str,
        *,
        request: HttpRequest | None = None,
        username: str = "",
        outcome: str = Outcome.OK,
        subject: str = Subject.REQUESTS,
        reference: str = "",
        detail: str = "",
    ) -> "AuditEvent":
        """One event; who, the client address and the browser come from `request` (a command passes `username`)."""
        user = getattr(request, "user", None)
        if not username:
            username = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        return cls.objects.create(
            action=action,
            outcome=outcome,
            subject=subject,
            username=username[:150],
            reference=reference,
            detail=detail,
            client_address=client_ip(request) if request is not None else "",
            user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH] if request is not None else "",
        )
