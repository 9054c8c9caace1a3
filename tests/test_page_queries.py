"""Every public page answers in a bounded number of queries, however many articles exist.

A page rendered afresh (a cache miss, with the worker asking for the article
content version too) costs at most three, the article page included: with its
category, tags, references and related articles.
"""

import pytest

from articles.models import Category, Contributor, Reference, Tag
from clinic import page_cache

pytestmark = pytest.mark.django_db

MAX_QUERIES = 3


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


@pytest.mark.parametrize(
    "path",
    ["/", "/articles/", "/articles/?page=2", "/articles/?q=sleep", "/appointments/request/", "ARTICLE"],
    ids=["home", "article-list", "article-list-page-2", "search", "request-form", "article"],
)
def test_a_page_rendered_afresh_costs_at_most_three_queries(
    client, many_articles, path, settings, django_assert_max_num_queries
):
    if path == "ARTICLE":
        path = many_articles[0].get_absolute_url()
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    page_cache.clear()  # cold: no page cached, and the content version not asked yet
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(path)
    assert response.status_code == 200
    if path == many_articles[0].get_absolute_url():  # the page had everything to show
        page = response.content.decode()
        assert '<a href="/articles/category/chronic-pain/">' in page
        assert '<a href="/articles/tag/sleep/">Sleep</a>' in page
        assert "Study 0.2" in page
        assert '"citation"' in page
        assert 'id="related-heading"' in page


def test_the_content_version_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        page_cache.content_version()


def test_a_repeat_visit_within_the_version_window_costs_no_query(
    client, many_articles, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    article = many_articles[0].get_absolute_url()
    for path in ("/", "/articles/", article):
        client.get(path)
    with django_assert_num_queries(0):
        for path in ("/", "/articles/", article):
            assert client.get(path).status_code == 200


def test_templates_are_compiled_once_per_worker():
    from django.template import engines
    from django.template.loaders.cached import Loader

    assert isinstance(engines["django"].engine.template_loaders[0], Loader)
