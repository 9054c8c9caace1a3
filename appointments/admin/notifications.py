"""The notification emails in the admin: their delivery, and a retry for those not yet sent."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Notification
from ..tasks import deliver


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("request_link", "kind", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "kind")
    list_select_related = ("request",)
    fields = ("request_link", "kind", "status", "attempts", "last_error", "next_attempt_at", "sent_at")
    readonly_fields = fields
    actions = ("retry_now",)

    @admin.display(description=_("request"), ordering="request__reference")
    def request_link(self, obj: Notification) -> str:
        # By reference: this list is about mail delivery, not about the patient.
        url = reverse("admin:appointments_appointmentrequest_change", args=[obj.request_id])
        return format_html('<a href="{}">{}</a>', url, obj.request.reference)

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
