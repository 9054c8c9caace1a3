"""The parts of a request's admin page below what the patient sent: history, notes, emails."""

from django.contrib import admin
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from ..models import AppointmentRequest, Note, Notification, StatusChange


def staff_name(user) -> str:
    """A colleague's name as plain text: a link would lead the desk to user admin pages it may not open."""
    return (user.get_full_name() or user.get_username()) if user is not None else "-"


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
    fields = ("changed_at", "from_status", "to_status", "by")
    verbose_name_plural = _("Status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    @admin.display(description=_("by"))
    def by(self, obj: StatusChange) -> str:
        return staff_name(obj.changed_by)


class NotificationInline(ReadOnlyInline):
    model = Notification
    fields = ("kind", "status", "attempts", "sent_at", "next_attempt_at", "last_error")
    verbose_name_plural = _("Emails")


class NoteInline(admin.StackedInline):
    """A thread: anyone at the desk adds a note; nobody edits or removes one, their own or another's."""

    model = Note
    extra = 1
    can_delete = False
    fields = ("body", "written_by", "written_at")
    readonly_fields = ("written_by", "written_at")
    verbose_name = _("note")
    verbose_name_plural = _("Internal notes (never shown to the patient)")

    def has_change_permission(self, request, obj: AppointmentRequest | None = None) -> bool:
        return False

    def has_delete_permission(self, request, obj: AppointmentRequest | None = None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description=_("author"))
    def written_by(self, obj: Note) -> str:
        return staff_name(obj.author) if obj.pk else ""

    @admin.display(description=_("written"))
    def written_at(self, obj: Note) -> str:
        # A blank note about to be written has no time yet (the field's default would show "now").
        return localize(localtime(obj.created_at)) if obj.pk else ""
