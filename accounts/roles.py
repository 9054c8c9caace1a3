"""The staff groups and what each may do, across every app: applied after each migrate, or by `setup_roles`."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

# Group name -> (app label, model) -> permitted actions.
ROLES = {
    "Front desk": {
        ("appointments", "appointmentrequest"): ["view", "change"],
        # Notes are a thread: add and read, never edit or remove.
        ("appointments", "note"): ["view", "add"],
        ("appointments", "statuschange"): ["view"],
        ("appointments", "notification"): ["view"],
    },
    "Editors": {
        **{
            ("articles", model): ["view", "add", "change", "delete"]
            for model in ("article", "category", "tag", "contributor", "reference", "slugredirect", "bodyimage")
        },
        ("articles", "review"): ["view"],
        # The clinic's phone, address and hours: editors keep them right, as they keep the articles right.
        ("clinic", "clinicdetails"): ["view", "change"],
    },
    # They read what waits for them and approve it or send it back; they change no text themselves.
    "Medical reviewers": {
        ("articles", "article"): ["view", "review"],
        **{("articles", model): ["view"] for model in ("reference", "category", "tag", "contributor", "review")},
    },
    # Reads the audit trail and exports it as CSV; nobody else does (superusers aside), and nobody changes it.
    "Privacy officer": {
        ("audit", "auditevent"): ["view"],
    },
}


def apply_roles(using: str = "default") -> list[tuple[str, bool, int]]:
    """Create or update each group with exactly its permissions: (name, created, permissions) for each.

    Runs after every `migrate` (accounts.apps), so a deployment needs no step of its own;
    `manage.py setup_roles` runs it by hand. Running it again changes nothing.
    """
    # The permissions of apps migrated after this one are not made yet when migrate gets here.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    applied = []
    with transaction.atomic(using=using):
        for name, grants in ROLES.items():
            group, created = Group.objects.using(using).get_or_create(name=name)
            wanted = [
                Permission.objects.using(using).get(content_type__app_label=app, codename=f"{action}_{model}")
                for (app, model), actions in grants.items()
                for action in actions
            ]
            group.permissions.set(wanted)
            applied.append((name, created, len(wanted)))
    return applied
