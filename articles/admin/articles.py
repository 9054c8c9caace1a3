"""The article list and form: what editors write in, where an edit of a live article waits for review."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields.files import ImageFieldFile
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from js_asset import Media
from reversion.admin import VersionAdmin

from .. import workflow
from ..editor_csp import injected_style_source
from ..forms import ArticleAdminForm
from ..models import Article, PendingChange, Reference, Review
from ..versions import FIELDS, content_from_forms
from .filters import PendingChangeFilter, ReviewFilter, StatusFilter
from .languages import LanguageVersionsMixin
from .review import ReviewViewsMixin

LIVE = workflow.LIVE


class LabelledSplitDateTime(AdminSplitDateTime):
    template_name = "articles/widgets/split_datetime.html"


class ReferenceInline(admin.StackedInline):
    """Stacked, so every box has its own label (a tabular inline labels them by column only)."""

    model = Reference
    extra = 1
    fields = (("position", "year"), "title", "source", ("url", "doi"))
    # A plain address box: the admin's URL widget adds a "Currently / Change" block that widens the table.
    formfield_overrides = {models.URLField: {"assume_scheme": "https", "widget": forms.URLInput}}

    def get_extra(self, request, obj=None, **kwargs):
        pending = workflow.pending_change(obj) if obj is not None else None
        return len(pending.content["references"]) + 1 if pending and request.method != "POST" else self.extra


@admin.register(Article)
class ArticleAdmin(LanguageVersionsMixin, ReviewViewsMixin, VersionAdmin):
    form = ArticleAdminForm
    inlines = [ReferenceInline]
    # The workflow and review columns first, so they stay on screen on a laptop beside the admin's side menu.
    list_display = (
        "title",
        "state",
        "is_public",
        "published_at",
        "review_state",
        "has_changes_waiting",
        "language",
        "next_review_due",
        "last_reviewed",
        "medical_reviewer",
        "author",
        "category",
    )
    list_filter = (
        StatusFilter,
        ReviewFilter,
        PendingChangeFilter,
        "language",
        "category",
        "tags",
        "author",
        "medical_reviewer",
    )
    list_select_related = ("category", "author", "medical_reviewer")
    search_fields = ("title", "summary", "body", "slug")
    prepopulated_fields = {"slug": ("title",)}
    # Plain selects, not the autocomplete widget: they are labelled for screen readers, and the lists are short.
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    date_hierarchy = "published_at"
    readonly_fields = (
        "preview_link",
        "language_versions",
        "medical_reviewer",
        "last_reviewed",
        "next_review_due",
        "created_at",
        "updated_at",
    )
    actions = ["publish", "unpublish"]

    class Media:
        css = {"all": ["css/article-admin.css"]}
        js = ["js/article-editor.js"]

    def get_fieldsets(self, request, obj=None):
        publishing = ["status", "published_at", "go_live_now", "preview_link", "call_to_action"]
        if request.user.is_superuser:
            publishing.insert(3, "publish_without_review")
        return [
            (None, {"fields": ["title", "slug", "summary", "body"]}),
            (_("Language"), {"fields": ["language", "translation_of", "language_versions"]}),
            (_("Publishing"), {"fields": publishing}),
            (_("Filing"), {"fields": ["category", "tags"]}),
            (_("Image"), {"fields": ["hero_image", "hero_image_alt"]}),
            (
                _("Who wrote and reviewed it"),
                {
                    "fields": ["author", "medical_reviewer", "last_reviewed", "next_review_due"],
                    "description": _("The reviewer and the dates come from the medical review (above)."),
                },
            ),
            (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
        ]

    def get_queryset(self, request):
        latest_review = Review.objects.filter(article=OuterRef("pk")).order_by("-submitted_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                latest_review_state=Subquery(latest_review.values("state")[:1]),
                has_pending_change=Exists(
                    PendingChange.objects.filter(article=OuterRef("pk"), state=PendingChange.State.PENDING)
                ),
            )
        )

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj: Article) -> str:
        if obj.is_public:
            return Article.Status.PUBLISHED.label
        if obj.status in LIVE:
            when = formats.date_format(timezone.localtime(obj.published_at), "SHORT_DATETIME_FORMAT")
            return _("Scheduled for %(when)s") % {"when": when}
        return obj.get_status_display()

    @admin.display(boolean=True, description=_("public now"))
    def is_public(self, obj: Article) -> bool:
        return obj.is_public

    @admin.display(boolean=True, description=_("changes waiting"), ordering="has_pending_change")
    def has_changes_waiting(self, obj: Article) -> bool:
        return obj.has_pending_change

    @admin.display(description=_("review"))
    def review_state(self, obj: Article) -> str:
        state = (
            Review.State(obj.latest_review_state).label if obj.latest_review_state in ("waiting", "sent_back") else ""
        )
        overdue = _("Overdue") if obj.is_review_overdue else ""
        return " · ".join(str(part) for part in (state, overdue) if part)

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

    def pending(self, request, obj) -> PendingChange | None:
        """The article's pending change, asked once per request."""
        if obj is None or obj.pk is None:
            return None
        known = request.__dict__.setdefault("_pending_changes", {})
        if obj.pk not in known:
            known[obj.pk] = workflow.pending_change(obj)
        return known[obj.pk]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if (pending := self.pending(request, obj)) is None:
            return form
        initial = {name: pending.content[name] for name in FIELDS} | {
            "hero_image": ImageFieldFile(obj, Article._meta.get_field("hero_image"), pending.content["hero_image"]),
            "category": pending.content["category"],
            "author": pending.content["author"],
            "tags": pending.content["tags"],
        }
        return type(form.__name__, (form,), {"pending_initial": initial})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ReferenceInline) and (pending := self.pending(request, obj)) is not None:
            # The references of the pending change, as new rows: the live ones stay as readers see them.
            kwargs["queryset"] = Reference.objects.none()
            if request.method != "POST":
                kwargs["initial"] = pending.content["references"]
        return kwargs

    def save_model(self, request, obj, form, change):
        was_live = change and form.initial.get("status") in LIVE
        if was_live and obj.status in LIVE:
            # Readers keep the live text: whether and when it shows, and which language version it is, change now
            # (save_related keeps the rest for review).
            request._article_edit = "pending"
            live, at_once = Article.objects.get(pk=obj.pk), ["status", "published_at", "language", "translation_of"]
            if changed := [name for name in at_once if getattr(live, name) != getattr(obj, name)]:
                for name in changed:
                    setattr(live, name, getattr(obj, name))
                live.save(update_fields=[*changed, "updated_at"])
            return
        request._article_edit = "in place"
        if obj.status in LIVE:  # publishing needs an approval of the saved text: save_related asks for it
            request._article_publish, obj.status = obj.published_at, Article.Status.DRAFT
        old_slug = form.initial.get("slug", "") if change else ""
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            obj.remember_old_slug(old_slug)

    def save_related(self, request, form, formsets, change):
        urgent = form.cleaned_data.get("publish_without_review", False)
        if getattr(request, "_article_edit", None) == "pending":
            live = Article.objects.get(pk=form.instance.pk)
            references = next(formset for formset in formsets if formset.model is Reference)
            pending = workflow.save_edit(live, content_from_forms(form, references), by=request.user)
            if pending and urgent:
                self.publish_now(request, live, urgent=True)
            elif pending:
                self.message_user(request, workflow.PENDING_SAVED, messages.INFO)
            return
        super().save_related(request, form, formsets, change)
        if hasattr(request, "_article_publish"):
            self.publish_now(request, form.instance, urgent=urgent, when=request._article_publish)

    def publish_now(self, request, article: Article, **options) -> bool:
        try:
            notes = workflow.publish(article, by=request.user, **options)
        except workflow.Refused as refused:
            self.message_user(request, f"“{article}”: {refused}", messages.WARNING)
            return False
        if article.status == Article.Status.SCHEDULED and not article.is_public:
            when = formats.date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
            self.message_user(
                request, _("Scheduled: it goes live on %(when)s, by itself.") % {"when": when}, messages.SUCCESS
            )
        for note in notes:
            self.message_user(request, note, messages.WARNING)
        return True

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_article_edit", None) == "pending":
            return str(_("Saved changes to the live article; they wait for review and publishing."))
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        if getattr(request, "_article_edit", None) == "pending" and "_addanother" not in request.POST:
            return HttpResponseRedirect(request.path)  # back to the article: its review panel says what comes next
        return super().response_change(request, obj)

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: give it this response's CSP nonce; its injected
        # <style> is allowed by its hash (articles/editor_csp.py), on this page only.
        context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        response = super().render_change_form(request, context, *args, **kwargs)
        response._csp_update = {"style-src": [injected_style_source()]}
        return response

    @admin.action(description=_("Publish selected articles now (those a reviewer approved)"), permissions=["change"])
    def publish(self, request, queryset):
        published = sum(self.publish_now(request, article) for article in queryset)
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", published) % published,
            messages.SUCCESS if published else messages.WARNING,
        )

    @admin.action(description=_("Unpublish selected articles (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = workflow.unpublish(queryset.exclude(status=Article.Status.DRAFT), by=request.user)
        self.message_user(
            request, ngettext("%d article unpublished.", "%d articles unpublished.", count) % count, messages.SUCCESS
        )
