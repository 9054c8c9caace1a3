from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from . import sign_in_events  # noqa: F401 - connects the sign-in signals to the audit trail


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the site that asks for a second factor (accounts.admin_site)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin; AccountsConfig is this app's

    default_site = "accounts.admin_site.StaffAdminSite"
