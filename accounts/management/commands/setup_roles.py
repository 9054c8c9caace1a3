from django.core.management.base import BaseCommand

from accounts.roles import apply_roles


class Command(BaseCommand):
    help = (
        "Create the staff groups (accounts/roles.py) with their permissions; `migrate` does it too. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        for name, created, permissions in apply_roles():
            verb = "created" if created else "up to date"
            self.stdout.write(f"{name}: {verb}, {permissions} permissions.")
