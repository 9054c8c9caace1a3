"""The article list's filters: where each article stands, for readers and for review."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Article

Status = Article.Status


class StatusFilter(admin.SimpleListFilter):
    """As readers see it: a scheduled article whose time has come is live, not scheduled."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live (public now)")),
            ("scheduled", _("Scheduled (not yet public)")),
            ("draft", _("Draft")),
            ("archived", _("Archived")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "live":
            return queryset.published()
        if value == "scheduled":
            return queryset.filter(status__in=[Status.SCHEDULED, Status.PUBLISHED], published_at__gt=timezone.now())
        if value in (Status.DRAFT, Status.ARCHIVED):
            return queryset.filter(status=value)
        return queryset


class ReviewFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Waiting for a reviewer")),
            ("sent_back", _("Sent back by the reviewer")),
            ("overdue", _("Review overdue")),
            ("due-soon", _("Due in the next 30 days")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in ("waiting", "sent_back"):
            return queryset.filter(latest_review_state=value)
        if value == "overdue":
            return queryset.review_overdue()
        if value == "due-soon":
            today = timezone.localdate()
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=today + timedelta(days=30))
        return queryset


class PendingChangeFilter(admin.SimpleListFilter):
    title = _("pending changes")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", _("Has changes waiting")), ("no", _("No changes waiting"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(Q(has_pending_change=True) if self.value() == "yes" else Q(has_pending_change=False))
        return queryset
