import json

import phonenumbers
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import admin_records  # noqa: F401 - registers the audit trail and email admins
from .admin_forms import RequestAdminForm
from .admin_inlines import NoteInline, NotificationInline, StatusChangeInline, staff_name
from .export import csv_response
from .models import AppointmentRequest, AuditEvent, Note, urgency
from .services import change_status

PATIENT_FIELDS = (
    "reference",
    "first_name",
    "last_name",
    "phone",
    "email",
    "new_patient",
    "preferred_day",
    "preferred_time",
    "message",
    "source_article",
    "source_path",
    "spam_reason",
    "created_at",
    "updated_at",
)
Status = AppointmentRequest.Status


def normalized_phone(term: str) -> str | None:
    """The E.164 form of a phone number typed any way, as the form stores it; None if it is not one."""
    try:
        number = phonenumbers.parse(term, settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def filters_without_search(params) -> str:
    """The list's filters for the audit trail; a search term may be a patient's name or phone, so only its presence."""
    params = params.copy()
    searched = params.pop("q", [""]) != [""]
    return " ".join(part for part in (params.urlencode(), str(_("(searched)")) if searched else "") if part)


def admin_log_entry(request, obj: AppointmentRequest, action_flag: int, message: list | str = "") -> LogEntry:
    """Django's admin history, naming the request by its reference: it outlives the request, the name must not."""
    return LogEntry.objects.create(
        user_id=request.user.pk,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=obj.reference,
        action_flag=action_flag,
        change_message=json.dumps(message) if isinstance(message, list) else message,
    )


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned to")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("My requests")), ("nobody", _("Nobody yet"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


def status_action(status: str, description: str):
    def action(modeladmin, request, queryset):
        moved = sum(change_status(obj, status, by=request.user, detail="(bulk)") for obj in queryset)
        modeladmin.message_user(
            request,
            ngettext("%(count)d request marked “%(status)s”.", "%(count)d requests marked “%(status)s”.", moved)
            % {"count": moved, "status": Status(status).label},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(AppointmentRequest)
class AppointmentRequestAdmin(admin.ModelAdmin):
    # What the front desk triages by comes first, so it stays on screen on a laptop.
    list_display = (
        "reference",
        "status",
        "created_at",
        "name",
        "phone_number",
        "possible_duplicate",
        "new_patient",
        "preferred_day",
        "preferred_time",
        "assignee",
        "email",
        "source_label",
    )
    list_display_links = ("reference", "name")
    list_filter = (
        "status",
        AssignedFilter,
        "new_patient",
        "preferred_day",
        "preferred_time",
        "source_article",
        "created_at",
    )
    search_fields = ("reference", "first_name", "last_name", "phone", "email")
    search_help_text = _("Name, email, reference, or phone number written any way.")

    class Media:
        css = {"all": ["css/front-desk-admin.css"]}

    date_hierarchy = "created_at"
    list_select_related = ("source_article", "assigned_to")
    form = RequestAdminForm
    readonly_fields = (*PATIENT_FIELDS, "phone_link", "possible_duplicates")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "reference",
                    "status",
                    "assigned_to",
                    "created_at",
                    "updated_at",
                    "status_seen",
                    "assigned_seen",
                )
            },
        ),
        (
            _("What the patient sent"),
            {
                "fields": (
                    ("first_name", "last_name"),
                    ("phone_link", "email"),
                    "new_patient",
                    ("preferred_day", "preferred_time"),
                    "message",
                )
            },
        ),
        (_("Possible duplicates"), {"fields": ("possible_duplicates",)}),
        (_("Where it came from"), {"fields": ("source_article", "source_path", "spam_reason")}),
    )
    inlines = (StatusChangeInline, NoteInline, NotificationInline)
    actions = (
        status_action(Status.CONTACTED, _("Mark as contacted")),
        status_action(Status.SCHEDULED, _("Mark as scheduled")),
        status_action(Status.CLOSED, _("Mark as closed")),
        status_action(Status.SPAM, _("Mark as spam")),
        status_action(Status.NEW, _("Not spam: back to new")),
        "export_csv",
    )

    # --- the list: what needs doing first -------------------------------------
    def get_queryset(self, request):
        return super().get_queryset(request).flag_duplicates()

    @admin.display(description=_("Duplicate?"), boolean=True)
    def possible_duplicate(self, obj: AppointmentRequest) -> bool:
        return obj.has_duplicates

    def get_ordering(self, request):
        return (urgency().asc(), "created_at")

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if phone := normalized_phone(search_term):
            results |= queryset.filter(phone=phone)
        return results, may_have_duplicates

    @admin.display(description=_("name"), ordering="last_name")
    def name(self, obj: AppointmentRequest) -> str:
        return f"{obj.first_name} {obj.last_name}"

    @admin.display(description=_("phone"), ordering="phone")
    def phone_number(self, obj: AppointmentRequest) -> str:
        return obj.phone_for_calling

    @admin.display(description=_("phone"))
    def phone_link(self, obj: AppointmentRequest) -> str:
        return format_html('<a href="tel:{}">{}</a>', obj.phone, obj.phone_for_calling)

    @admin.display(description=_("Sent from"), ordering="source_article__title")
    def source_label(self, obj: AppointmentRequest) -> str:
        return obj.source_label

    @admin.display(description=_("Same phone or email"))
    def possible_duplicates(self, obj: AppointmentRequest) -> str:
        others = obj.possible_duplicates()
        if not others:
            return _("None within %(days)d days.") % {"days": settings.APPOINTMENT_DUPLICATE_DAYS}
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({}, {})',
            (
                (
                    reverse("admin:appointments_appointmentrequest_change", args=[other.pk]),
                    other.reference,
                    other.get_status_display(),
                    timezone.localdate(other.created_at).isoformat(),
                )
                for other in others
            ),
        )

    # --- one request --------------------------------------------------------
    def has_add_permission(self, request) -> bool:
        # Requests come from patients, through the form.
        return False

    @admin.display(description=_("assigned to"), ordering="assigned_to__first_name")
    def assignee(self, obj: AppointmentRequest) -> str:
        return staff_name(obj.assigned_to)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            # Only people who can work the requests, not every staff account.
            can_see = Q(codename="view_appointmentrequest", content_type__app_label="appointments")
            allowed = Permission.objects.filter(can_see)
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, is_staff=True)
                .filter(Q(is_superuser=True) | Q(groups__permissions__in=allowed) | Q(user_permissions__in=allowed))
                .distinct()
                .order_by("first_name", "last_name", "username")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = staff_name
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            viewed = self.get_object(request, object_id)
            AuditEvent.record(AuditEvent.Action.VIEW, user=request.user, appointment=viewed)
        return response

    def save_model(self, request, obj, form, change):
        new_status = obj.status
        obj.status = form.initial.get("status", new_status)
        super().save_model(request, obj, form, change)
        change_status(obj, new_status, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Note:
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            note.author = request.user
            note.save()
        return None

    def log_change(self, request, obj, message):
        # Status moves are already recorded, with from and to, by change_status().
        status = capfirst(AppointmentRequest._meta.get_field("status").verbose_name)
        fields = {name for part in message for name in part.get("changed", {}).get("fields", [])}
        if fields - {status} or any("added" in part for part in message):
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

    # --- export ---------------------------------------------------------------
    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="appointments_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The changelist as CSV, with whatever filters and search the clerk has on screen."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_changelist_instance(request).get_queryset(request)
        return self.export(request, queryset, _("filtered list"))

    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self.export(request, queryset, _("selected requests"))

    def export(self, request, queryset, what):
        rows = list(queryset.select_related("source_article", "assigned_to"))
        references = ", ".join(row.reference for row in rows)
        detail = f"{what}: {len(rows)} — {filters_without_search(request.GET)} — {references}"
        AuditEvent.record(AuditEvent.Action.EXPORT, user=request.user, detail=detail)
        return csv_response(rows)
