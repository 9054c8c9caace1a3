"""The audit trail in the admin: the hooks that write it, and the pages that read it."""

import json

from django.contrib import admin
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType

from ..models import AuditEvent


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


class AuditedAdminMixin:
    """Every open, change and deletion of a request in the admin is recorded in the audit trail.

    `audit_change_recorded(message)` lets the admin skip changes it records itself
    (status moves, with from and to, by change_status()).
    """

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            viewed = self.get_object(request, object_id)
            AuditEvent.record(AuditEvent.Action.VIEW, user=request.user, appointment=viewed)
        return response

    def audit_change_recorded(self, message: list) -> bool:
        return False

    def log_change(self, request, obj, message):
        if not self.audit_change_recorded(message):
            readable = LogEntry(change_message=json.dumps(message)).get_change_message()
            AuditEvent.record(AuditEvent.Action.CHANGE, user=request.user, appointment=obj, detail=readable)
        return admin_log_entry(request, obj, CHANGE, message)

    def log_deletions(self, request, queryset):
        return [admin_log_entry(request, obj, DELETION) for obj in queryset]

    def delete_model(self, request, obj):
        AuditEvent.record(AuditEvent.Action.DELETE, user=request.user, appointment=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            AuditEvent.record(AuditEvent.Action.DELETE, user=request.user, appointment=obj)
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read by those allowed to; written only by the code; changed or removed by nobody."""

    list_display = ("at", "username", "action", "reference", "detail")
    list_filter = ("action", "at")
    search_fields = ("username", "reference")
    date_hierarchy = "at"
    readonly_fields = ("at", "action", "user", "username", "request", "reference", "detail")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
