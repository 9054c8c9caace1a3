from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    """The project package is an app too, for the one record every app reads: the clinic's details."""

    name = "clinic"
    verbose_name = _("The clinic")
