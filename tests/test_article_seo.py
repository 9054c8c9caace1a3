"""Search engines and link previews find correct, parseable data in each article page's head.

The feed, the sitemap and robots.txt are in test_feed_and_sitemap.py.
"""

import json
from datetime import date
from html.parser import HTMLParser

import pytest

from articles.models import Contributor, Reference

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class HeadParser(HTMLParser):
    """Collects <meta>, <link rel=canonical> and JSON-LD script contents."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = None
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def parse(response) -> HeadParser:
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def article(make_article):
    article = make_article(
        title="Pacing",
        summary="Plan steady activity.",
        author=Contributor.objects.create(name="Ann Writer", credentials="MPH"),
        medical_reviewer=Contributor.objects.create(name="Bea Review", credentials="MD"),
        last_reviewed=date(2026, 10, 2),
    )
    Reference.objects.create(article=article, title="A study", source="Journal A", year=2008, url="https://x.example/a")
    return article


def test_article_page_has_canonical_description_open_graph_and_twitter_tags(client, article):
    head = parse(client.get(article.get_absolute_url()))
    url = f"http://testserver{article.get_absolute_url()}"
    assert head.canonical == url
    assert head.meta["description"] == "Plan steady activity."
    assert head.meta["og:title"] == "Pacing"
    assert head.meta["og:description"] == "Plan steady activity."
    assert head.meta["og:url"] == url
    assert head.meta["og:type"] == "article"
    assert head.meta["twitter:card"] == "summary"
    assert head.meta["twitter:title"] == "Pacing"


def test_json_ld_describes_a_medically_reviewed_page_with_its_citations(client, article):
    (raw,) = parse(client.get(article.get_absolute_url())).json_ld
    data = json.loads(raw)
    assert data["@type"] == "MedicalWebPage"
    assert data["headline"] == "Pacing"
    assert data["author"] == {"@type": "Person", "name": "Ann Writer", "honorificSuffix": "MPH"}
    assert data["reviewedBy"]["name"] == "Bea Review"
    assert data["lastReviewed"] == "2026-10-02"
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["dateModified"] == article.updated_at.isoformat()
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "A study",
            "publisher": "Journal A",
            "datePublished": "2008",
            "url": "https://x.example/a",
        }
    ]


def test_a_hostile_title_cannot_break_out_of_the_json_ld(client, make_article):
    title = '</script><script>alert("x")</script> & <!--'
    article = make_article(title=title, summary="</SCRIPT><img src=x onerror=alert(1)>")
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    (raw,) = parse(response).json_ld
    assert json.loads(raw)["headline"] == title
