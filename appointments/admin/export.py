"""CSV export of appointment requests that opens cleanly in Excel and cannot run formulas."""

import csv
import io
from collections.abc import Callable, Iterable

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import AppointmentRequest, AuditEvent

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


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
        (_("Sent from"), lambda r: r.source_label),
        (_("Assigned to"), lambda r: r.assigned_to.get_username() if r.assigned_to_id else ""),
    ]


def csv_response(requests: Iterable[AppointmentRequest]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so Excel reads "Zoë" and "王" as written."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    cols = columns()
    writer.writerow([title for title, _value in cols])
    for request in requests:
        writer.writerow([neutralize(value(request)) for _title, value in cols])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-requests-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def filters_without_search(params) -> str:
    """The list's filters for the audit trail; a search term may be a patient's name or phone, so only its presence."""
    params = params.copy()
    searched = params.pop("q", [""]) != [""]
    return " ".join(part for part in (params.urlencode(), _("(searched)") if searched else "") if part)


class ExportMixin:
    """The requests list as CSV: what the filters and search show, or a selection; each export audited."""

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="appointments_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The changelist as CSV, with whatever filters and search the clerk has on screen."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_changelist_instance(request).get_queryset(request)
        return self.export(request, queryset, _("filtered list"))

    @admin.action(description=gettext_lazy("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self.export(request, queryset, _("selected requests"))

    def export(self, request, queryset, what):
        rows = list(queryset.select_related("source_article", "assigned_to"))
        references = ", ".join(row.reference for row in rows)
        detail = f"{what}: {len(rows)} — {filters_without_search(request.GET)} — {references}"
        AuditEvent.record(AuditEvent.Action.EXPORT, user=request.user, detail=detail)
        return csv_response(rows)
