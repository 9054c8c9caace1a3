"""The parts of a request's admin page below what the patient sent: history, notes, emails."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AppointmentRequest, Note, Notification, StatusChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ("changed_at", "from_status", "to_status", "changed_by")
    verbose_name_plural = _("Status history")


class NotificationInline(ReadOnlyInline):
    model = Notification
    fields = ("kind", "status", "attempts", "sent_at", "next_attempt_at", "last_error")
    verbose_name_plural = _("Emails")


class NoteInline(admin.StackedInline):
    """A thread: anyone at the desk adds a note; nobody edits or removes one, their own or another's."""

    model = Note
    extra = 1
    can_delete = False
    fields = ("body", "author", "created_at")
    readonly_fields = ("author", "created_at")
    verbose_name = _("note")
    verbose_name_plural = _("Internal notes (never shown to the patient)")

    def has_change_permission(self, request, obj: AppointmentRequest | None = None) -> bool:
        return False

    def has_delete_permission(self, request, obj: AppointmentRequest | None = None) -> bool:
        return False
