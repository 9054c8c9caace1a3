"""The admin site: staff sign in with a password and, when OTP_REQUIRED (DEBUG off), a second factor.

django-otp checks the code: a TOTP authenticator app, or a one-time recovery code (a static device).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """Username, password and one code; the code says which device it is from (six digits: the app)."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "device_required": _(
            "Enter the code from your authenticator app, or one of your recovery codes. "
            "No code yet? Ask an administrator for a recovery code."
        ),
    }
    otp_token = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_otp(self, user) -> None:
        if user is not None and not self.cleaned_data.get("otp_device"):
            self.cleaned_data["otp_device"] = device_for(user, self.cleaned_data.get("otp_token") or "")
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


def device_for(user, token: str) -> str:
    """The persistent id of the user's device that made this code: six digits come from the app."""
    kind = TOTPDevice if token.strip().isdigit() else StaticDevice
    device = next((device for device in devices_for_user(user) if isinstance(device, kind)), None)
    return device.persistent_id if device is not None else ""


class StaffAdminSite(admin.AdminSite):
    @property
    def login_form(self):
        return StaffAuthenticationForm if settings.OTP_REQUIRED else None

    def has_permission(self, request) -> bool:
        verified = not settings.OTP_REQUIRED or request.user.is_verified()
        return super().has_permission(request) and verified
