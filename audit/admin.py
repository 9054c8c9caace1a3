"""The audit trail in the admin: the mixin that records each look at audited data, and the trail's own pages."""

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG, IS_FACETS_VAR, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.spreadsheets import csv_response

from .models import AuditEvent

NOT_FILTERS = {SEARCH_VAR, ORDER_VAR, PAGE_VAR, ERROR_FLAG, IS_POPUP_VAR, TO_FIELD_VAR, IS_FACETS_VAR}
Action, Outcome = AuditEvent.Action, AuditEvent.Outcome


def on_screen(params) -> str:
    """The filters by name, never by value ("status__exact, created_at__gte"), and whether a search was made.

    A filter's value or a search word may be a patient's name, phone or email.
    """
    names = sorted({name for name in params if name not in NOT_FILTERS})
    parts = [f"filters: {', '.join(names)}"] if names else []
    if params.get(SEARCH_VAR, "").strip():
        parts.append("searched")
    return "; ".join(parts)


def details(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


class AuditedReadsMixin:
    """Every admin page that shows this model's rows records one event: the list or a search (rows shown,
    filter names, references), one row, its history, a delete confirmation, and every refusal."""

    audit_subject = AuditEvent.Subject.REQUESTS

    def audit_reference(self, obj) -> str:
        """Which row, as the trail names it (a request's reference); "" when the trail has no name for it."""
        return ""

    def audit(self, request, action: str, *, objs=(), outcome: str = Outcome.OK, detail: str = "") -> None:
        names = [name for name in (self.audit_reference(obj) for obj in objs) if name]
        one = names[0] if len(names) == 1 else ""
        AuditEvent.record(
            action,
            request=request,
            outcome=outcome,
            subject=self.audit_subject,
            reference=one,
            detail=details(detail, "" if one else " ".join(names)),
        )

    def _audited(self, request, action: str, view, *args, object_id: str | None = None):
        """Run an admin view; record the look if it showed a page, or the refusal if it was refused."""
        try:
            response = view(request, *args)
        except PermissionDenied:
            self.audit(request, action, objs=self._objects(request, object_id), outcome=Outcome.DENIED)
            raise
        if response.status_code == 200 and object_id is not None:
            self.audit(request, action, objs=self._objects(request, object_id))
        return response

    def _objects(self, request, object_id: str | None) -> list:
        found = self.get_object(request, unquote(object_id)) if object_id else None  # None for "abc" too
        return [found] if found is not None else []

    def changelist_view(self, request, extra_context=None):
        action = Action.SEARCH if request.GET.get(SEARCH_VAR, "").strip() else Action.LIST
        response = self._audited(request, action, super().changelist_view, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            shown = list(changelist.result_list)
            rows = _("%(shown)d of %(total)d rows") % {"shown": len(shown), "total": changelist.result_count}
            self.audit(request, action, objs=shown, detail=details(rows, on_screen(request.GET)))
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._audited(
            request, Action.VIEW, super().change_view, object_id, form_url, extra_context, object_id=object_id
        )

    def history_view(self, request, object_id, extra_context=None):
        return self._audited(
            request, Action.HISTORY, super().history_view, object_id, extra_context, object_id=object_id
        )

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except PermissionDenied:
            self.audit(request, Action.DELETE, objs=self._objects(request, object_id), outcome=Outcome.DENIED)
            raise

    def get_deleted_objects(self, objs, request):
        # Without "post" this builds the confirmation page, which names each row (one page, or the bulk action).
        if not request.POST.get("post"):
            self.audit(request, Action.CONFIRM_DELETE, objs=list(objs))
        return super().get_deleted_objects(objs, request)


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedReadsMixin, admin.ModelAdmin):
    """Read by the privacy officer; written only by the code; changed or removed by nobody, here or in SQL."""

    audit_subject = AuditEvent.Subject.TRAIL
    list_display = ("at", "username", "action", "outcome", "subject", "reference", "client_address", "detail")
    list_filter = ("action", "outcome", "subject", "at")
    search_fields = ("username", "reference", "client_address")
    search_help_text = gettext_lazy("Who (username), a request's reference, or a client address.")
    date_hierarchy = "at"
    fields = ("at", "username", "action", "outcome", "subject", "reference", "detail", "client_address", "user_agent")
    readonly_fields = fields
    actions = ("export_csv",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        events = list(queryset.order_by("at", "pk"))
        self.audit(request, Action.EXPORT, detail=_("%(count)d events") % {"count": len(events)})
        local = timezone.localtime
        header = [
            _("When"),
            _("Who"),
            _("Action"),
            _("Outcome"),
            _("About"),
            _("Reference"),
            _("Detail"),
            _("Client address"),
            _("Browser"),
        ]
        rows = (
            [
                local(e.at).isoformat(timespec="seconds"),
                e.username,
                e.get_action_display(),
                e.get_outcome_display(),
                e.get_subject_display(),
                e.reference,
                e.detail,
                e.client_address,
                e.user_agent,
            ]
            for e in events
        )
        return csv_response(header, rows, name="audit-trail")
