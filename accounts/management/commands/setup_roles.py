from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import ROLES


class Command(BaseCommand):
    help = "Create the staff groups (accounts/roles.py) with their permissions. Running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for name, grants in ROLES.items():
            group, created = Group.objects.get_or_create(name=name)
            wanted = [
                Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
                for (app, model), actions in grants.items()
                for action in actions
            ]
            group.permissions.set(wanted)
            verb = "created" if created else "up to date"
            self.stdout.write(f"{name}: {verb}, {len(wanted)} permissions.")
