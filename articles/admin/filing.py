"""What articles are filed under and credited to, old addresses, pictures, and the record of medical reviews."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import BodyImage, Category, Contributor, Review, SlugRedirect, Tag


@admin.register(Category, Tag)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_es", "slug")
    search_fields = ("name", "name_es")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ("name", "credentials", "user")
    search_fields = ("name", "credentials")
    fields = ("name", "credentials", "user")

    def get_readonly_fields(self, request, obj=None):
        # Linking an account makes its approvals speak for this person, under this name and these
        # credentials: a superuser's decision, so an editor cannot put words in a reviewer's name.
        if request.user.is_superuser:
            return ()
        return ("name", "credentials", "user") if obj is not None and obj.user_id else ("user",)


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


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Who asked for which review, and who decided what, when: a record nobody edits."""

    list_display = ("article", "state", "submitted_by", "submitted_at", "reviewer", "decided_at", "next_review_due")
    list_filter = ("state",)
    list_select_related = ("article", "submitted_by", "reviewer")
    search_fields = ("article__title",)
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
