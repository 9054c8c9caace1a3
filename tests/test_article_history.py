"""An editor restores an earlier version from the history: it never fails, and no address readers know breaks."""

import pytest
from django.test import Client
from reversion.models import Version

from articles.models import Article, Tag
from tests.article_helpers import ADD_URL, change_url, form_data, review_and_publish, staff_in
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Editors"))
    return client


def told(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_version_whose_tag_was_deleted_since_is_restored_without_it(editor_client):
    sleep, pain = Tag.objects.create(name="Sleep", slug="sleep"), Tag.objects.create(name="Pain", slug="pain")
    editor_client.post(ADD_URL, form_data(title="First title", tags=[sleep.pk, pain.pk]))
    article = Article.objects.get()
    editor_client.post(change_url(article), form_data(title="Second title"))
    sleep.delete()
    first = Version.objects.get_for_object(article).last()
    url = admin_url("articles_article_revision", article.pk, first.pk)
    shown = editor_client.get(url)
    assert shown.status_code == 200
    assert "A tag deleted since was left out." in shown.content.decode()
    response = editor_client.post(url, follow=True)
    assert response.status_code == 200
    assert "A tag deleted since was left out." in told(response)
    article.refresh_from_db()
    assert article.title == "First title"
    assert list(article.tags.all()) == [pain]


def test_restoring_an_older_slug_keeps_the_current_address_answering(editor_client, make_article):
    article = review_and_publish(make_article(slug="knee-pain", status="draft"))
    old_slug_version = Version.objects.get_for_object(article).first()
    article.slug = "knee-pain-explained"
    article.save()
    article.remember_old_slug("knee-pain")
    revert = admin_url("articles_article_revision", article.pk, old_slug_version.pk)
    assert editor_client.post(revert).status_code == 302
    # That text was approved: it goes back up at once.
    editor_client.post(admin_url("articles_article_publish", article.pk))
    article.refresh_from_db()
    assert article.slug == "knee-pain"
    reader = Client()
    assert reader.get("/articles/knee-pain/").status_code == 200
    moved = reader.get("/articles/knee-pain-explained/")
    assert moved.status_code == 301
    assert moved["Location"] == "/articles/knee-pain/"


def test_a_deleted_article_whose_tag_is_gone_too_is_recovered_as_a_draft(editor_client):
    tag = Tag.objects.create(name="Sleep", slug="sleep")
    editor_client.post(ADD_URL, form_data(title="Gone by mistake", tags=[tag.pk]))
    article = Article.objects.get()
    editor_client.post(admin_url("articles_article_delete", article.pk), {"post": "yes"})
    tag.delete()
    version = Version.objects.get_deleted(Article).get()
    assert "Gone by mistake" in editor_client.get(admin_url("articles_article_recover", version.pk)).content.decode()
    response = editor_client.post(admin_url("articles_article_recover", version.pk), follow=True)
    assert "A tag deleted since was left out." in told(response)
    recovered = Article.objects.get()
    assert (recovered.pk, recovered.title, recovered.status) == (article.pk, "Gone by mistake", "draft")
