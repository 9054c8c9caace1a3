"""The admin site: staff sign in with a password and, when OTP_REQUIRED (DEBUG off), a second factor.

django-otp checks the code: a TOTP authenticator app, or a one-time recovery code (a static device).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm

from audit.models import AuditEvent


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_otp(self, user) -> None:
        try:
            super().clean_otp(user)
        except ValidationError:
            # The password was right (Django's signal covers a wrong one): the trail says which step failed.
            AuditEvent.record(
                AuditEvent.Action.SIGN_IN,
                request=self.request,
                username=user.get_username(),
                outcome=AuditEvent.Outcome.DENIED,
                subject=AuditEvent.Subject.ACCOUNT,
                detail="second factor refused",
            )
            raise


class StaffAdminSite(admin.AdminSite):
    @property
    def login_form(self):
        return StaffAuthenticationForm if settings.OTP_REQUIRED else None

    def has_permission(self, request) -> bool:
        verified = not settings.OTP_REQUIRED or request.user.is_verified()
        return super().has_permission(request) and verified
