from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from clinic import details

from .models import Article


class LatestArticlesFeed(Feed):
    link = reverse_lazy("articles:list")
    description = _("Health articles from our clinic.")

    def title(self) -> str:
        return _("%(clinic)s — health articles") % {"clinic": details.current()["NAME"]}

    def items(self):
        return Article.objects.published().in_language().select_related("author", "category")[:20]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return item.author.name if item.author else None

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.local_name] if item.category else []
