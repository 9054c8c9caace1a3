"""Addresses readers bookmarked keep working when an editor changes a published article's slug."""

import html

import pytest
from django.utils import timezone

from articles.models import Article
from tests.article_helpers import ADD_URL, change_url, form_data, review_and_publish, staff_in

pytestmark = pytest.mark.django_db


def test_the_slug_is_prefilled_from_the_title(client):
    client.force_login(staff_in("Editors"))
    page = html.unescape(client.get(ADD_URL).content.decode())
    assert '"id": "#id_slug", "name": "slug", "dependency_ids": ["#id_title"]' in page


def test_slugs_are_unique(client, make_article):
    make_article(slug="walking-for-joint-health")
    client.force_login(staff_in("Editors"))
    response = client.post(ADD_URL, form_data())
    assert response.status_code == 200
    assert "Article with this Slug already exists." in response.content.decode()


def test_changing_a_published_slug_redirects_the_old_address_permanently(client, make_article):
    article = make_article(slug="old-name", title="Walking for joint health")
    client.force_login(staff_in("Editors"))
    data = form_data(slug="new-name", status="published")
    data["published_at_0"], data["published_at_1"] = (
        f"{timezone.localtime(article.published_at):%Y-%m-%d %H:%M:%S}".split()
    )
    assert client.post(change_url(article), data).status_code == 302
    client.logout()
    assert client.get("/articles/old-name/").status_code == 200, "the new address waits for review"
    assert client.get("/articles/new-name/").status_code == 404
    review_and_publish(article)
    old = client.get("/articles/old-name/")
    assert old.status_code == 301
    assert old["Location"] == "/articles/new-name/"
    assert client.get("/articles/new-name/").status_code == 200


def test_a_slug_changed_twice_and_back_still_resolves(client, make_article):
    article = make_article(slug="first")
    article.slug = "second"
    article.save()
    article.remember_old_slug("first")
    article.slug = "first"
    article.save()
    article.remember_old_slug("second")
    assert client.get("/articles/first/").status_code == 200
    assert client.get("/articles/second/")["Location"] == "/articles/first/"


def test_an_old_slug_of_an_unpublished_article_is_404(client, make_article):
    article = make_article(slug="now-draft", status=Article.Status.DRAFT)
    article.remember_old_slug("was-public")
    assert client.get("/articles/was-public/").status_code == 404
