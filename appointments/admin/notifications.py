"""The notification emails in the admin: their delivery, a retry for those not yet sent, a release for a stuck one."""

from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent

from ..models import Notification
from ..services import queue_delivery
from ..tasks import deliver


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("request_link", "kind", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "kind")
    list_select_related = ("request",)
    fields = ("request_link", "kind", "status", "attempts", "last_error", "next_attempt_at", "sent_at")
    readonly_fields = fields
    actions = ("retry_now", "release")

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
        # A person asked for it now: the back-off delay no longer applies.
        due.update(status=Notification.Status.RETRYING, next_attempt_at=None)
        results = [deliver(pk) for pk in due.values_list("pk", flat=True)]
        sent = results.count(Notification.Status.SENT)
        self.message_user(request, _("%(sent)d of %(total)d sent.") % {"sent": sent, "total": len(results)})

    @admin.action(
        description=_("Release emails stuck in Sending (only after checking the mail server did not send them)"),
        permissions=["retry"],
    )
    def release(self, request, queryset):
        """A worker died mid-send: a person who checked the mail server's log lets the email be sent again."""
        released = 0
        with transaction.atomic():
            for notification in queryset.filter(status=Notification.Status.SENDING).select_related("request"):
                still_stuck = Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING)
                if still_stuck.update(status=Notification.Status.RETRYING, next_attempt_at=timezone.now()):
                    released += 1
                    AuditEvent.record(
                        AuditEvent.Action.CHANGE,
                        request=request,
                        reference=notification.request.reference,
                        detail=f"email released for sending again: {notification.get_kind_display()}",
                    )
                    queue_delivery(notification.pk)
        self.message_user(
            request,
            _("%(count)d emails released: they will be sent again shortly.") % {"count": released},
        )
