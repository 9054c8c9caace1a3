from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article


class PageSitemap(Sitemap):
    """The pages every language has, each listed once per language with its alternates (hreflang)."""

    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self) -> list[str]:
        return ["pages:home", "articles:list", "appointments:request", "pages:privacy", "pages:accessibility"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(Sitemap):
    """Every public article in every language, at its own address, naming its versions in the others."""

    changefreq = "monthly"

    def items(self):
        return Article.objects.published().with_other_versions().only("slug", "language", "published_at", "updated_at")

    def lastmod(self, item: Article):
        # A scheduled article was last saved before it went live: it changed, for readers, when it appeared.
        return max(item.updated_at, item.published_at)

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            item = url["item"]
            if len(item.versions) > 1:
                origin = url["location"].removesuffix(item.get_absolute_url())
                url["alternates"] = [
                    {"lang_code": language, "location": origin + path}
                    for language, path in sorted(item.versions.items())
                ]
        return urls
