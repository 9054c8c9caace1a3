from datetime import timedelta

import reversion
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from js_asset import Media
from reversion.admin import VersionAdmin

from .forms import ArticleAdminForm
from .models import Article, BodyImage, Category, Contributor, Reference, SlugRedirect, Tag


class ReviewFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Review overdue")), ("due-soon", _("Due in the next 30 days"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "due-soon":
            today = timezone.localdate()
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=today + timedelta(days=30))
        return queryset


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ("position", "title", "source", "year", "url", "doi")
    # A plain address box: the admin's URL widget adds a "Currently / Change" block that widens the table.
    formfield_overrides = {models.URLField: {"assume_scheme": "https", "widget": forms.URLInput}}


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    inlines = [ReferenceInline]
    # The workflow and review columns first, so they stay on screen on a laptop beside the admin's side menu.
    list_display = (
        "title",
        "status",
        "is_public",
        "published_at",
        "review_state",
        "next_review_due",
        "last_reviewed",
        "medical_reviewer",
        "author",
        "category",
    )
    list_filter = ("status", ReviewFilter, "category", "tags", "author", "medical_reviewer")
    list_select_related = ("category", "author", "medical_reviewer")
    search_fields = ("title", "summary", "body", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("category", "tags", "author", "medical_reviewer")
    date_hierarchy = "published_at"
    readonly_fields = ("preview_link", "created_at", "updated_at")
    actions = ["publish", "unpublish"]

    class Media:
        css = {"all": ["css/article-admin.css"]}

    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "preview_link", "call_to_action"]}),
        (_("Filing"), {"fields": ["category", "tags"]}),
        (_("Image"), {"fields": ["hero_image", "hero_image_alt"]}),
        (
            _("Who wrote and reviewed it"),
            {"fields": ["author", "medical_reviewer", "last_reviewed", "next_review_due"]},
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(boolean=True, description=_("public now"))
    def is_public(self, obj: Article) -> bool:
        return obj.is_public

    @admin.display(description=_("review"))
    def review_state(self, obj: Article) -> str:
        return _("Overdue") if obj.is_review_overdue else ""

    @admin.display(description=_("preview"))
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return _("Save the article to preview it.")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_preview_url(), _("Preview this version")
        )

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # A filter through a reverse relation (?appointment_requests=11) would tell an editor which article
        # a request came from: only for someone who may see those rows anyway.
        related = self.model._meta.fields_map.get(lookup.split(LOOKUP_SEP, 1)[0])
        if related is not None and related.auto_created and not related.concrete:
            opts = related.related_model._meta
            if request is None or not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                return False
        return super().lookup_allowed(lookup, value, request)

    def get_view_on_site_url(self, obj=None):
        if obj is not None and not obj.is_public:
            return obj.get_preview_url()
        return super().get_view_on_site_url(obj)

    def save_model(self, request, obj, form, change):
        old_slug = form.initial.get("slug", "") if change else ""
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            obj.remember_old_slug(old_slug)

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: give it this response's CSP nonce.
        context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.action(description=_("Publish selected articles now"), permissions=["change"])
    def publish(self, request, queryset):
        now = timezone.now()
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(str(_("Published from the list.")))
            articles = list(queryset)
            for article in articles:
                article.status = Article.Status.PUBLISHED
                if article.published_at is None or article.published_at > now:
                    article.published_at = now
                article.save(update_fields=["status", "published_at", "updated_at"])
        count = len(articles)
        self.message_user(
            request, ngettext("%d article published.", "%d articles published.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Unpublish selected articles (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(str(_("Unpublished from the list.")))
            articles = list(queryset.filter(~Q(status=Article.Status.DRAFT)))
            for article in articles:
                article.status = Article.Status.DRAFT
                article.save(update_fields=["status", "updated_at"])
        count = len(articles)
        self.message_user(
            request, ngettext("%d article unpublished.", "%d articles unpublished.", count) % count, messages.SUCCESS
        )


@admin.register(Category, Tag)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ("name", "credentials")
    search_fields = ("name", "credentials")


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_slug", "article", "created_at")
    list_select_related = ("article",)
    search_fields = ("old_slug", "article__title")
    autocomplete_fields = ("article",)


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    list_display = ("thumbnail", "title", "address", "uploaded_at")
    search_fields = ("title", "alt_text")
    readonly_fields = ("thumbnail", "address")
    fields = ("title", "image", "alt_text", "thumbnail", "address")

    @admin.display(description=_("picture"))
    def thumbnail(self, obj: BodyImage) -> str:
        if not obj.image:
            return ""
        return format_html('<img src="{}" alt="" width="120">', obj.image.url)

    @admin.display(description=_("address to paste in the editor's image dialog"))
    def address(self, obj: BodyImage) -> str:
        return obj.image.url if obj.image else ""
