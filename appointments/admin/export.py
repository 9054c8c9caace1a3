"""CSV export of appointment requests: a POST (a link on another site cannot start a download), each one audited."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.admin import details, on_screen
from audit.models import AuditEvent
from clinic.spreadsheets import csv_response

from ..models import AppointmentRequest


def columns() -> list[tuple[str, Callable[[AppointmentRequest], object]]]:
    local = timezone.localtime
    return [
        (_("Reference"), lambda r: r.reference),
        (_("Received"), lambda r: local(r.created_at).strftime("%Y-%m-%d %H:%M")),
        (_("Status"), lambda r: r.get_status_display()),
        (_("First name"), lambda r: r.first_name),
        (_("Last name"), lambda r: r.last_name),
        (_("Phone"), lambda r: r.phone_for_calling),
        (_("Email"), lambda r: r.email),
        (_("New patient"), lambda r: _("Yes") if r.new_patient else _("No")),
        (_("Preferred day"), lambda r: r.get_preferred_day_display()),
        (_("Preferred time"), lambda r: r.get_preferred_time_display()),
        (_("Reason for visit / comments"), lambda r: r.message),
        (_("Language"), lambda r: r.get_language_display()),
        (_("Sent from"), lambda r: r.source_label),
        (_("Assigned to"), lambda r: r.assigned_to.get_username() if r.assigned_to_id else ""),
    ]


class ExportMixin:
    """The requests list as CSV: what the filters and search show, or a selection; each export audited."""

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(require_POST(self.export_view)), name="appointments_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The changelist as CSV, with whatever filters and search the clerk has on screen (the form's query string)."""
        if not self.has_view_permission(request):
            self.audit(request, AuditEvent.Action.EXPORT, outcome=AuditEvent.Outcome.DENIED)
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            # Back to the list with the same filters: it says what is wrong with them, as it would have anyway.
            messages.error(request, _("This list could not be exported: one of its filters is not valid."))
            changelist = reverse("admin:appointments_appointmentrequest_changelist")
            return redirect(f"{changelist}?{request.GET.urlencode()}" if request.GET else changelist)
        return self.export(request, queryset, _("filtered list"))

    @admin.action(description=gettext_lazy("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self.export(request, queryset, _("selected requests"))

    def export(self, request, queryset, what):
        rows = list(queryset.select_related("source_article", "assigned_to"))
        count = _("%(what)s: %(count)d rows") % {"what": what, "count": len(rows)}
        self.audit(request, AuditEvent.Action.EXPORT, objs=rows, detail=details(count, on_screen(request.GET)))
        cols = columns()
        table = ([value(row) for _title, value in cols] for row in rows)
        return csv_response([title for title, _value in cols], table, name="appointment-requests")
