"""Every public page answers in a bounded number of queries, however many articles exist.

A page rendered afresh (a cache miss) may cost up to three; on top of that each
worker asks for the article content version at most once per
PAGE_CACHE_VERSION_SECONDS, whatever the traffic.
"""

import pytest

from pages import page_cache

pytestmark = pytest.mark.django_db

MAX_QUERIES = 3


@pytest.fixture
def many_articles(make_article):
    return [make_article(title=f"Sleep and pain, part {n}") for n in range(40)]


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
    page_cache.content_version()  # this worker has asked for the version this minute
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(path)
    assert response.status_code == 200


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
