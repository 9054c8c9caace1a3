"""Feed readers and search engines get each public article, parseable, with its link and last change.

That drafts, archived, scheduled and undated articles stay out of the feed and
the sitemap is in test_article_views.py, with every other public page.
"""

from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Contributor

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def article(make_article):
    return make_article(
        title="Pacing",
        summary="Plan steady activity.",
        author=Contributor.objects.create(name="Ann Writer", credentials="MPH"),
    )


def test_a_feed_reader_gets_each_article_with_its_summary_link_and_author(client, article):
    root = ElementTree.fromstring(client.get("/articles/feed/").content)
    (item,) = root.iter("item")
    assert item.findtext("title") == "Pacing"
    assert item.findtext("description") == "Plan steady activity."
    assert item.findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Ann Writer"


def test_a_search_engine_finds_each_article_in_the_sitemap_with_the_day_it_last_changed(client, article):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    }
    lastmod = timezone.localdate(article.updated_at).isoformat()
    assert entries[f"http://testserver{article.get_absolute_url()}"] == lastmod
    # Beside it, the pages every language has, once per language (their hreflang: test_spanish_pages.py).
    pages = {url for url, day in entries.items() if day is None}
    assert {"http://testserver/", "http://testserver/es/", "http://testserver/es/appointments/request/"} <= pages
    assert len(entries) == 1 + len(pages)


def test_robots_txt_sends_search_engines_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
