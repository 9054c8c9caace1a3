"""Admin for the records the code writes: the audit trail and the notification emails."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Notification
from .tasks import deliver


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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("request", "kind", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "kind")
    list_select_related = ("request",)
    readonly_fields = ("request", "kind", "status", "attempts", "last_error", "next_attempt_at", "sent_at")
    actions = ("retry_now",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("appointments.view_notification") and request.user.has_perm(
            "appointments.change_appointmentrequest"
        )

    @admin.action(description=_("Retry now (emails not yet sent)"), permissions=["retry"])
    def retry_now(self, request, queryset):
        due = queryset.filter(status__in=[Notification.Status.RETRYING, Notification.Status.FAILED])
        due.filter(status=Notification.Status.FAILED).update(status=Notification.Status.RETRYING)
        results = [deliver(pk) for pk in due.values_list("pk", flat=True)]
        sent = results.count(Notification.Status.SENT)
        self.message_user(request, _("%(sent)d of %(total)d sent.") % {"sent": sent, "total": len(results)})
