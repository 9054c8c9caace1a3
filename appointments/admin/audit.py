"""The requests admin in the audit trail: every look (audit.admin.AuditedReadsMixin), change and deletion."""

import json

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType

from audit.admin import AuditedReadsMixin
from audit.models import AuditEvent


def admin_log_entry(request, obj, action_flag: int, message: list | str = "") -> LogEntry:
    """Django's admin history, naming the request by its reference: it outlives the request, the name must not."""
    return LogEntry.objects.create(
        user_id=request.user.pk,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=obj.reference,
        action_flag=action_flag,
        change_message=json.dumps(message) if isinstance(message, list) else message,
    )


class AuditedAdminMixin(AuditedReadsMixin):
    """Every look at, change to and deletion of a request in the admin is recorded in the audit trail.

    `audit_change_recorded(message)` lets the admin skip changes it records itself
    (status moves, with from and to, by change_status()).
    """

    def audit_reference(self, obj) -> str:
        return obj.reference

    def audit_change_recorded(self, message: list) -> bool:
        return False

    def log_change(self, request, obj, message):
        if not self.audit_change_recorded(message):
            readable = LogEntry(change_message=json.dumps(message)).get_change_message()
            self.audit(request, AuditEvent.Action.CHANGE, objs=[obj], detail=readable)
        return admin_log_entry(request, obj, CHANGE, message)

    def log_deletions(self, request, queryset):
        return [admin_log_entry(request, obj, DELETION) for obj in queryset]

    def delete_model(self, request, obj):
        self.audit(request, AuditEvent.Action.DELETE, objs=[obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.audit(request, AuditEvent.Action.DELETE, objs=[obj])
        super().delete_queryset(request, queryset)
