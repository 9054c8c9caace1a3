"""What a public page costs to render afresh, however many articles exist.

A page rendered afresh (a cache miss, with the worker asking for the article
content version too) costs at most three queries, the article page included:
with its category, tags, references and related articles. Forty articles, each
with tags and references, would show any query made per article, tag or
reference. The templates it needs are read from disk once per worker.
"""

import pytest
from django.template.loaders.filesystem import Loader as FilesystemLoader

from articles.models import Category, Contributor, Reference, Tag
from clinic import page_cache

pytestmark = pytest.mark.django_db

MAX_QUERIES = 3
# Each page, and something it must show: a page that showed nothing would cost nothing.
PAGES = {
    "home": ("/", "Sleep and pain, part"),
    "article-list": ("/articles/", "Sleep and pain, part"),
    "article-list-page-2": ("/articles/?page=2", "Sleep and pain, part"),
    "search": ("/articles/?q=sleep", "Sleep and pain, part"),
    "category": ("/articles/category/chronic-pain/", "Sleep and pain, part"),
    "tag": ("/articles/tag/sleep/", "Sleep and pain, part"),
    "request-form": ("/appointments/request/", 'name="first_name"'),
}


@pytest.fixture
def many_articles(make_article):
    pain = Category.objects.create(name="Chronic pain", slug="chronic-pain")
    sleep = Tag.objects.create(name="Sleep", slug="sleep")
    person = Contributor.objects.create(name="Ann Writer", credentials="MD")
    articles = []
    for n in range(40):
        article = make_article(title=f"Sleep and pain, part {n}", category=pain, author=person, medical_reviewer=person)
        article.tags.add(sleep, Tag.objects.create(name=f"Topic {n}", slug=f"topic-{n}"))
        Reference.objects.bulk_create(
            Reference(article=article, title=f"Study {n}.{i}", source="Journal", year=2000 + i, position=i)
            for i in range(3)
        )
        articles.append(article)
    return articles


@pytest.fixture
def first_visit(settings):
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    page_cache.clear()  # cold: no page cached, and the content version not asked yet


@pytest.mark.parametrize(("url", "shown"), PAGES.values(), ids=PAGES.keys())
def test_the_first_visit_to_a_public_page_costs_at_most_three_queries(
    client, many_articles, first_visit, url, shown, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert shown in response.content.decode()


def test_the_first_visit_to_an_article_shows_all_it_has_in_at_most_three_queries(
    client, many_articles, first_visit, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(many_articles[0].get_absolute_url()).content.decode()
    assert '<a href="/articles/category/chronic-pain/">' in page
    assert '<a href="/articles/tag/sleep/">Sleep</a>' in page
    assert "Study 0.2" in page
    assert '"citation"' in page
    assert 'id="related-heading"' in page


def test_asking_whether_any_article_changed_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        page_cache.content_version()


def test_a_patient_coming_back_within_the_version_window_costs_no_query(
    client, many_articles, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    article = many_articles[0].get_absolute_url()
    for path in ("/", "/articles/", article):
        client.get(path)
    with django_assert_num_queries(0):
        for path in ("/", "/articles/", article):
            assert client.get(path).status_code == 200


def test_pages_rendered_again_after_the_cache_is_emptied_read_no_template_from_disk(client, make_article, monkeypatch):
    urls = ["/", "/articles/", "/appointments/request/", make_article().get_absolute_url()]
    for url in urls:
        assert client.get(url).status_code == 200
    page_cache.clear()
    read = []
    original = FilesystemLoader.get_contents

    def get_contents(loader, origin):
        read.append(origin.name)
        return original(loader, origin)

    # The app-directories loader is a filesystem loader too: this sees both.
    monkeypatch.setattr(FilesystemLoader, "get_contents", get_contents)
    for url in urls:
        assert client.get(url).status_code == 200
    assert read == []
