"""Article pages cost the same number of queries however many articles, tags and references there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Category, Contributor, Reference, Tag

pytestmark = pytest.mark.django_db

LIST_URLS = ["/articles/", "/articles/?q=article", "/articles/category/pain/", "/articles/tag/sleep/", "/"]


def fill(make_article, count: int):
    category, _ = Category.objects.get_or_create(name="Pain", slug="pain")
    tag, _ = Tag.objects.get_or_create(name="Sleep", slug="sleep")
    person, _ = Contributor.objects.get_or_create(name="Ann", credentials="MD")
    articles = []
    for _n in range(count):
        article = make_article(category=category, author=person, medical_reviewer=person)
        article.tags.add(tag, Tag.objects.create(name=f"T{article.pk}", slug=f"t{article.pk}"))
        Reference.objects.bulk_create(
            Reference(article=article, title=f"R{i}", source="S", year=2000 + i) for i in range(3)
        )
        articles.append(article)
    return articles


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_pages_do_not_query_per_article(client, make_article, url, django_assert_max_num_queries):
    fill(make_article, 2)
    few = queries(client, url)
    fill(make_article, 10)
    with django_assert_max_num_queries(few):
        client.get(url)
    assert few <= 4, few


def test_the_article_page_does_not_query_per_tag_reference_or_related_article(
    client, make_article, django_assert_max_num_queries
):
    (first,) = fill(make_article, 1)
    few = queries(client, first.get_absolute_url())
    fill(make_article, 10)
    with django_assert_max_num_queries(few):
        client.get(first.get_absolute_url())
    assert few <= 6, few
