"""Sign-in, sign-out, failed sign-in and lockout, in the audit trail.

Django's login view and django-axes announce these only by signal, so the trail listens.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent

Action, Outcome = AuditEvent.Action, AuditEvent.Outcome


def record(request, action: str, *, username: str = "", outcome: str = Outcome.OK, detail: str = "") -> None:
    AuditEvent.record(
        action, request=request, username=username, outcome=outcome, subject=AuditEvent.Subject.ACCOUNT, detail=detail
    )


def known_username(typed: str) -> str:
    """The typed name if it is an account's; otherwise not: a password typed in the wrong box must not be kept."""
    exists = typed and get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: typed}).exists()
    return typed if exists else "(no such account)"


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def signed_in(sender, request, user, **kwargs) -> None:
    record(request, Action.SIGN_IN, username=user.get_username())


@receiver(user_logged_out, dispatch_uid="audit-sign-out")
def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(request, Action.SIGN_OUT, username=user.get_username(), detail=getattr(request, "sign_out_reason", ""))


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    username = known_username(credentials.get(get_user_model().USERNAME_FIELD, ""))
    record(request, Action.SIGN_IN, username=username, outcome=Outcome.DENIED, detail="wrong password or locked")


@receiver(user_locked_out, dispatch_uid="audit-locked-out")
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record(request, Action.SIGN_IN, username=known_username(username or ""), outcome=Outcome.LOCKED)
