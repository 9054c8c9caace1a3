from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What keeps the site running unattended: the schedule, its lock, heartbeats, deployment checks."""

    name = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks
