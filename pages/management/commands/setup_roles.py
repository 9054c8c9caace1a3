from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

# Group name -> (app label, model) -> permitted actions.
ROLES = {
    "Front desk": {
        ("appointments", "appointmentrequest"): ["view", "change"],
        # Notes are a thread: add and read, never edit or remove.
        ("appointments", "note"): ["view", "add"],
        ("appointments", "statuschange"): ["view"],
        ("appointments", "notification"): ["view"],
        # The audit trail is read-only for everyone; the admin refuses changes even to superusers.
        ("appointments", "auditevent"): ["view"],
    },
    "Editors": {
        ("articles", model): ["view", "add", "change", "delete"]
        for model in ("article", "category", "tag", "contributor", "reference", "slugredirect", "bodyimage")
    },
}


class Command(BaseCommand):
    help = "Create the Front desk and Editors groups with their permissions. Running it again changes nothing."

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
