from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from . import sign_in_events  # noqa: F401 - connects the sign-in signals to the audit trail

        # Like Django's own permissions, the groups follow the code after every migrate:
        # a deployer runs `migrate` and nothing else.
        post_migrate.connect(roles_after_migrate, dispatch_uid="accounts.apply_roles")


def roles_after_migrate(sender: AppConfig, using: str, **kwargs) -> None:
    # post_migrate is sent once per app with models (this one has none): act on the last one.
    if sender is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    # After a partial migrate (`migrate audit 0001`) the tables need not match the models yet.
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    from .roles import apply_roles

    apply_roles(using)


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the site that asks for a second factor (accounts.admin_site)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin; AccountsConfig is this app's

    default_site = "accounts.admin_site.StaffAdminSite"
