"""Readers find published articles, and only published ones."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_home_shows_clinic_details_latest_articles_and_a_way_to_book(client, make_article, settings):
    make_article(title="Newest")
    page = client.get("/").content.decode()
    for detail in ("NAME", "PHONE", "ADDRESS", "HOURS"):
        assert settings.CLINIC[detail] in page
    assert "Newest" in page
    assert f'href="{reverse("appointments:request")}"' in page


def test_article_list_shows_published_newest_first(client, make_article):
    make_article(title="Older", published_at=timezone.now() - timedelta(days=5))
    make_article(title="Newer", published_at=timezone.now() - timedelta(days=1))
    page = client.get("/articles/").content.decode()
    assert page.index("Newer") < page.index("Older")


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.ARCHIVED},
        {"status": Article.Status.SCHEDULED, "published_at": timezone.now() + timedelta(days=1)},
        {"status": Article.Status.PUBLISHED, "published_at": None},
    ],
    ids=["draft", "archived", "scheduled-future", "no-date"],
)
def test_unpublished_articles_are_hidden_everywhere(client, make_article, overrides):
    article = make_article(title="Secret plans", **overrides)
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in ("/", "/articles/", "/articles/?q=Secret", "/articles/feed/", "/sitemap.xml"):
        assert "Secret plans" not in client.get(url).content.decode()
        assert article.slug not in client.get(url).content.decode()


def test_a_scheduled_article_appears_when_its_time_comes(client, make_article):
    article = make_article(status=Article.Status.SCHEDULED, published_at=timezone.now() - timedelta(minutes=1))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_article_page_has_the_request_form_under_the_article(client, make_article):
    article = make_article(title="Pacing", body="<p>Plan your day.</p>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index("Plan your day.") < page.index("Take a Moment to Request Your Appointment Now")
    assert "Just take a few seconds to fill out this form" in page
    assert 'name="first_name"' in page
    assert f'action="{article.get_absolute_url()}"' in page


def test_search_finds_words_in_title_summary_and_body(client, make_article):
    make_article(title="Sleep habits", summary="Rest.", body="<p>Dark room.</p>")
    make_article(title="Pacing", summary="Energy and sleep.", body="<p>Plan.</p>")
    make_article(title="Diet", summary="Food.", body="<p>Sleep matters too.</p>")
    make_article(title="Unrelated", summary="Other.", body="<p>Nothing.</p>")
    page = client.get("/articles/", {"q": "sleep"}).content.decode()
    assert "3 articles found" in page
    assert "Unrelated" not in page


def test_an_empty_search_says_so_and_offers_the_form(client, make_article):
    make_article()
    page = client.get("/articles/", {"q": "zebra"}).content.decode()
    assert "No articles matched your search" in page
    assert f'href="{reverse("appointments:request")}"' in page


def test_search_text_is_escaped(client):
    page = client.get("/articles/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in page


def test_article_list_is_paginated(client, make_article):
    for _ in range(12):
        make_article()
    first = client.get("/articles/").content.decode()
    second = client.get("/articles/", {"page": 2}).content.decode()
    assert "Page 1 of 2" in first
    assert "Article 12" in second
    assert client.get("/articles/", {"page": "999"}).status_code == 200
    assert client.get("/articles/", {"page": "abc"}).status_code == 200


def test_privacy_notice_says_what_why_who_and_how_long(client, settings):
    page = client.get("/privacy/").content.decode()
    for heading in ("What we collect", "Why we collect it", "Who sees it", "How long we keep it"):
        assert heading in page
    assert f"{settings.APPOINTMENT_RETENTION_DAYS} days" in page


def test_the_site_icon_is_ours_and_favicon_ico_finds_it(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
