"""The appointment requests list and page: what the front desk works in all day."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic import phones

from ..models import PATIENT_FIELDS, AppointmentRequest, Note, urgency
from ..services import change_status
from .audit import AuditedAdminMixin
from .export import ExportMixin
from .forms import RequestAdminForm
from .inlines import NoteInline, NotificationInline, StatusChangeInline, staff_name

# What the patient sent and where it came from: shown to the front desk, never edited.
AS_SENT = (
    "reference",
    *PATIENT_FIELDS,
    "language",
    "source_article",
    "source_path",
    "spam_reason",
    "created_at",
    "updated_at",
)
Status = AppointmentRequest.Status


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
        moved = sum(change_status(obj, status, by=request.user, request=request, detail="(bulk)") for obj in queryset)
        modeladmin.message_user(
            request,
            ngettext("%(count)d request marked “%(status)s”.", "%(count)d requests marked “%(status)s”.", moved)
            % {"count": moved, "status": Status(status).label},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(AppointmentRequest)
class AppointmentRequestAdmin(AuditedAdminMixin, ExportMixin, admin.ModelAdmin):
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
        "language",
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
        "language",
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
    readonly_fields = (*AS_SENT, "phone_link", "possible_duplicates")
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
                    "language",
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
        if phone := phones.e164_or_none(search_term):
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

    def save_model(self, request, obj, form, change):
        new_status = obj.status
        obj.status = form.initial.get("status", new_status)
        super().save_model(request, obj, form, change)
        change_status(obj, new_status, by=request.user, request=request)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Note:
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            note.author = request.user
            note.save()
        return None

    def audit_change_recorded(self, message: list) -> bool:
        # Status moves are already recorded, with from and to, by change_status().
        status = capfirst(AppointmentRequest._meta.get_field("status").verbose_name)
        fields = {name for part in message for name in part.get("changed", {}).get("fields", [])}
        return not (fields - {status} or any("added" in part for part in message))
