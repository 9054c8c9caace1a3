"""A reader searches articles and gets the best matches first, on SQLite and on PostgreSQL."""

import pytest
from django.db import connection

from articles.models import Article

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


def titles(client, query: str) -> list[str]:
    page = client.get("/articles/", {"q": query})
    return [article.title for article in page.context["page_obj"]]


def test_a_title_match_ranks_above_a_body_match(client, make_article):
    make_article(title="Pacing", summary="Energy.", body="<p>Fatigue comes and goes.</p>")
    make_article(title="Fatigue and you", summary="Tired.", body="<p>Rest.</p>")
    make_article(title="Diet", summary="Food.", body="<p>Nothing here.</p>")
    assert titles(client, "fatigue") == ["Fatigue and you", "Pacing"]


def test_every_word_must_match(client, make_article):
    make_article(title="Sleep and pain", summary="Both.")
    make_article(title="Sleep only", summary="Rest.")
    assert titles(client, "sleep pain") == ["Sleep and pain"]


def test_search_never_shows_unpublished_articles(client, make_article):
    make_article(title="Sleep draft", status=Article.Status.DRAFT)
    make_article(title="Sleep archived", status=Article.Status.ARCHIVED)
    assert titles(client, "sleep") == []
    page = client.get("/articles/", {"q": "sleep"}).content.decode()
    assert "No articles matched your search" in page
    assert 'href="/appointments/request/"' in page


def test_search_results_are_paginated_with_the_query_kept(client, make_article):
    for n in range(12):
        make_article(title=f"Sleep tip {n}")
    page = client.get("/articles/", {"q": "sleep"}).content.decode()
    assert "12 articles found" in page
    assert "?q=sleep&amp;page=2" in page


@postgres_only
def test_postgres_search_understands_word_forms(client, make_article):
    make_article(title="Sleeping better", summary="Nights.", body="<p>Habits that help.</p>")
    assert titles(client, "sleeps") == ["Sleeping better"]


@postgres_only
def test_postgres_search_ignores_html_markup_in_the_body(client, make_article):
    make_article(title="Knees", summary="Joints.", body='<p><strong class="x">Walking</strong> helps.</p>')
    assert titles(client, "strong") == []
    assert titles(client, "walking") == ["Knees"]


@postgres_only
def test_postgres_search_accepts_web_style_queries(client, make_article):
    make_article(title="Sleep and pain", summary="Both.")
    make_article(title="Sleep only", summary="Rest.")
    assert titles(client, "sleep -pain") == ["Sleep only"]
    assert titles(client, '"sleep and pain"') == ["Sleep and pain"]


@pytest.mark.parametrize("typed", ["sleep\x00", "\x00sleep", "sleep\x1b", "  sleep\t\r\n"])
def test_control_characters_in_the_query_are_ignored(client, make_article, typed):
    # A NUL byte made PostgreSQL refuse the query: a 500 for a reader who pasted oddly.
    make_article(title="Sleep and pain")
    page = client.get("/articles/", {"q": typed})
    assert page.status_code == 200
    assert page.context["query"].startswith("sleep")
    assert [article.title for article in page.context["page_obj"]] == ["Sleep and pain"]
