from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at")

    def lastmod(self, item: Article):
        # A scheduled article was last saved before it went live: it changed, for readers, when it appeared.
        return max(item.updated_at, item.published_at)
