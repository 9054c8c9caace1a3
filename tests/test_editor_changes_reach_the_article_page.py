"""What an editor changes in tags and references shows on the public article page.

The page reads them from their own tables in the article's one query, and cached pages are keyed
by a version that covers those tables: these tests check every way the admin changes them shows.
"""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Category, Contributor, Tag
from tests.article_helpers import ADD_URL, change_url, form_data, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Editors"))
    return client


def public_page(article: Article) -> str:
    """The page as an anonymous reader gets it (through the page cache)."""
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def reference(title: str, pk: int | None = None) -> dict:
    fields = {"position": 1, "title": title, "source": "Journal A", "year": "2008", "doi": "10.1000/abc"}
    return fields | ({"id": str(pk)} if pk else {})


def published(**overrides) -> dict:
    return form_data(status="published", published_at_0="2026-01-05", published_at_1="09:00", **overrides)


@pytest.fixture
def sleep_tag():
    return Tag.objects.create(name="Sleep", slug="sleep")


@pytest.fixture
def article(editor_client, sleep_tag) -> Article:
    response = editor_client.post(ADD_URL, published(tags=[sleep_tag.pk], references=[reference("First study")]))
    assert response.status_code == 302
    return Article.objects.get()


def test_tags_and_references_saved_in_the_admin_show_on_the_page(article):
    page = public_page(article)
    assert '<a href="/articles/tag/sleep/">Sleep</a>' in page
    assert "First study" in page
    assert 'href="https://doi.org/10.1000/abc"' in page
    assert '"citation"' in page  # the JSON-LD lists the reference too


def test_editing_a_reference_and_removing_a_tag_show_on_the_page(editor_client, article):
    public_page(article)  # now in the page cache
    data = published(references=[reference("Corrected study", article.references.get().pk)])
    data["references-INITIAL_FORMS"] = "1"
    assert editor_client.post(change_url(article), data).status_code == 302
    page = public_page(article)
    assert "Corrected study" in page
    assert "First study" not in page
    assert "/articles/tag/sleep/" not in page


def test_renaming_a_tag_shows_on_the_page(editor_client, article, sleep_tag):
    public_page(article)
    url = reverse("admin:articles_tag_change", args=[sleep_tag.pk])
    response = editor_client.post(url, {"name": "Rest", "slug": "rest"})
    assert response.status_code == 302
    page = public_page(article)
    assert '<a href="/articles/tag/rest/">Rest</a>' in page
    assert "/articles/tag/sleep/" not in page


def test_renaming_a_category_shows_on_the_page(editor_client, article):
    category = Category.objects.create(name="Joints", slug="joints")
    Article.objects.filter(pk=article.pk).update(category=category)
    assert "Joints" in public_page(article)
    url = reverse("admin:articles_category_change", args=[category.pk])
    response = editor_client.post(url, {"name": "Bones", "slug": "joints"})
    assert response.status_code == 302
    page = public_page(article)
    assert "Bones" in page
    assert "Joints" not in page


def test_a_reviewer_s_new_credentials_show_on_the_page(editor_client, article):
    reviewer = Contributor.objects.create(name="Dana Whitfield", credentials="MD")
    Article.objects.filter(pk=article.pk).update(medical_reviewer=reviewer)
    assert "Dana Whitfield, MD" in public_page(article)
    url = reverse("admin:articles_contributor_change", args=[reviewer.pk])
    response = editor_client.post(url, {"name": "Dana Whitfield", "credentials": "MD, rheumatologist"})
    assert response.status_code == 302
    assert "Dana Whitfield, MD, rheumatologist" in public_page(article)


def test_deleting_a_tag_takes_it_off_the_page(editor_client, article, sleep_tag):
    public_page(article)
    response = editor_client.post(reverse("admin:articles_tag_delete", args=[sleep_tag.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert "/articles/tag/sleep/" not in public_page(article)


def test_restoring_an_earlier_version_in_the_admin_restores_its_references_and_tags(editor_client, article):
    first_version = Version.objects.get_for_object(article).get()
    data = published(references=[reference("Corrected study", article.references.get().pk)])
    data["references-INITIAL_FORMS"] = "1"
    editor_client.post(change_url(article), data)
    assert "Corrected study" in public_page(article)
    restore = published(tags=[Tag.objects.get().pk], references=[reference("First study", article.references.get().pk)])
    restore["references-INITIAL_FORMS"] = "1"
    response = editor_client.post(f"{change_url(article)[: -len('change/')]}history/{first_version.pk}/", restore)
    assert response.status_code == 302
    page = public_page(article)
    assert "First study" in page
    assert "Corrected study" not in page
    assert "/articles/tag/sleep/" in page


def test_a_version_reverted_outside_the_admin_keeps_its_own_references_and_tags(editor_client, article):
    first_version = Version.objects.get_for_object(article).get()
    data = published(references=[reference("Corrected study", article.references.get().pk)])
    data["references-INITIAL_FORMS"] = "1"
    editor_client.post(change_url(article), data)
    first_version.revision.revert(delete=True)  # e.g. from a shell: no admin save path runs
    page = public_page(article)
    assert "First study" in page
    assert "Corrected study" not in page
    assert "/articles/tag/sleep/" in page


def test_demo_articles_show_their_tags_and_references(client):
    call_command("load_demo_content", stdout=io.StringIO())
    article = Article.objects.exclude(tags=None).first()
    page = public_page(article)
    assert article.tags.first().get_absolute_url() in page
    assert article.references.first().title in page
