from django.contrib import admin

from .models import AppointmentRequest

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


@admin.register(AppointmentRequest)
class AppointmentRequestAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "first_name",
        "last_name",
        "phone",
        "email",
        "new_patient",
        "preferred_day",
        "preferred_time",
        "source_label",
        "status",
        "created_at",
    )
    list_display_links = ("reference", "first_name", "last_name")
    list_filter = ("status", "new_patient", "preferred_day", "preferred_time", "source_article", "created_at")
    search_fields = ("reference", "first_name", "last_name", "phone", "email")
    date_hierarchy = "created_at"
    list_select_related = ("source_article",)
    readonly_fields = PATIENT_FIELDS
    fieldsets = (
        (None, {"fields": ("reference", "status", "created_at", "updated_at")}),
        (
            "What the patient sent",
            {
                "fields": (
                    ("first_name", "last_name"),
                    ("phone", "email"),
                    "new_patient",
                    ("preferred_day", "preferred_time"),
                    "message",
                )
            },
        ),
        ("Where it came from", {"fields": ("source_article", "source_path", "spam_reason")}),
    )

    @admin.display(description="Sent from", ordering="source_article__title")
    def source_label(self, obj: AppointmentRequest) -> str:
        return obj.source_label

    def has_add_permission(self, request) -> bool:
        # Requests come from patients, through the form.
        return False
