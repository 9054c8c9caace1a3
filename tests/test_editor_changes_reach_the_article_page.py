"""Any change, by any path, reaches the public (cached) article page: the admin once published, a restore,
a bulk action, and a data import through the models' API — with no refresh call to remember.

save(), create(), bulk_create(), delete() and many-to-many set/add/remove show within
PAGE_CACHE_VERSION_SECONDS (they change a count, a latest id or an update time that the page cache's
version reads); QuerySet.update(), which by Django's design leaves auto_now fields alone, shows within
PAGE_CACHE_SECONDS, when the cached page expires.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from reversion.models import Version

from articles.models import Article, Category, Contributor, Reference, Tag
from tests.article_helpers import ADD_URL, LIST_URL, change_url, form_data, review_and_publish, staff_in
from tests.helpers import admin_url

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


@pytest.fixture
def sleep_tag():
    return Tag.objects.create(name="Sleep", slug="sleep")


@pytest.fixture
def article(editor_client, sleep_tag) -> Article:
    response = editor_client.post(ADD_URL, form_data(tags=[sleep_tag.pk], references=[reference("First study")]))
    assert response.status_code == 302
    return review_and_publish(Article.objects.get())


def edit(editor_client, article: Article, **changes) -> None:
    """The editor saves the live article's form again with `changes` (the admin keeps them as pending changes)."""
    data = form_data(**{"status": "published", "tags": [tag.pk for tag in article.tags.all()], **changes})
    data["published_at_0"], data["published_at_1"] = (
        f"{timezone.localtime(article.published_at):%Y-%m-%d %H:%M:%S}".split()
    )
    assert editor_client.post(change_url(article), data).status_code == 302


def test_tags_and_references_saved_in_the_admin_show_on_the_page(article):
    page = public_page(article)
    assert '<a href="/articles/tag/sleep/">Sleep</a>' in page
    assert "First study" in page
    assert 'href="https://doi.org/10.1000/abc"' in page
    assert '"citation"' in page  # the JSON-LD lists the reference too


def test_a_reviewed_edit_of_references_and_tags_shows_once_published(editor_client, article):
    public_page(article)  # now in the page cache
    references = {"references-TOTAL_FORMS": "1", "references-INITIAL_FORMS": "1"}
    edit(editor_client, article, tags=[], **references, **{
        f"references-0-{key}": value for key, value in reference("Corrected study", article.references.get().pk).items()
    })  # fmt: skip
    assert "First study" in public_page(article), "readers keep the published version meanwhile"
    review_and_publish(article)
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


def test_a_reviewer_s_new_credentials_show_on_the_page(client, article, admin_user):
    reviewer = article.medical_reviewer
    assert f"{reviewer.name}, MD" in public_page(article)
    client.force_login(admin_user)
    url = reverse("admin:articles_contributor_change", args=[reviewer.pk])
    response = client.post(url, {"name": reviewer.name, "credentials": "MD, rheumatologist", "user": reviewer.user_id})
    assert response.status_code == 302
    assert f"{reviewer.name}, MD, rheumatologist" in public_page(article)


def test_deleting_a_tag_takes_it_off_the_page(editor_client, article, sleep_tag):
    public_page(article)
    response = editor_client.post(reverse("admin:articles_tag_delete", args=[sleep_tag.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert "/articles/tag/sleep/" not in public_page(article)


def test_the_bulk_actions_show_on_the_page(editor_client, article):
    public_page(article)
    editor_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [article.pk]})
    assert Client().get(article.get_absolute_url()).status_code == 404
    editor_client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]})
    assert "First study" in public_page(article), "the approved text goes back up"


def test_a_restored_version_shows_once_published(editor_client, article):
    first_version = Version.objects.get_for_object(article).order_by("pk").first()
    edit(editor_client, article, title="A newer title")
    review_and_publish(article)
    assert "A newer title" in public_page(article)
    assert editor_client.post(admin_url("articles_article_revision", article.pk, first_version.pk)).status_code == 302
    assert "A newer title" in public_page(article), "the restored version waits to be published"
    # That text was approved before: it can go back up at once.
    assert editor_client.post(admin_url("articles_article_publish", article.pk)).status_code == 302
    page = public_page(article)
    assert "Walking for joint health" in page
    assert "A newer title" not in page


def test_a_version_reverted_outside_the_admin_shows_too(editor_client, article):
    published_version = Version.objects.get_for_object(article).first()  # the newest: as it went live
    edit(editor_client, article, title="A newer title")
    review_and_publish(article)
    assert "A newer title" in public_page(article)
    published_version.revision.revert(delete=True)  # e.g. from a shell: no admin save path runs
    assert "A newer title" not in public_page(article)


def test_an_import_through_the_models_api_shows_within_the_version_window(article, sleep_tag, settings):
    settings.PAGE_CACHE_VERSION_SECONDS = 1
    with freeze_time("2030-03-01 09:00:00") as clock:

        def shows(text: str) -> bool:
            clock.tick(timedelta(seconds=1.1))
            return text in public_page(article)

        public_page(article)
        article.title = "Saved by an import"
        article.save()
        assert shows("Saved by an import")
        Reference.objects.create(article=article, title="Created by an import", source="J", year=2020, position=2)
        assert shows("Created by an import")
        Reference.objects.bulk_create([Reference(article=article, title="Bulk study", source="J", year=2021)])
        assert shows("Bulk study")
        article.tags.add(Tag.objects.create(name="Pain", slug="pain"))
        assert shows("/articles/tag/pain/")
        article.tags.remove(sleep_tag)
        assert not shows("/articles/tag/sleep/")
        article.tags.set([sleep_tag])
        assert shows("/articles/tag/sleep/") and not shows("/articles/tag/pain/")
        Reference.objects.filter(title="Bulk study").delete()
        assert not shows("Bulk study")
        Contributor.objects.filter(pk=article.medical_reviewer_id).get().save()  # a touch, no change: still fine
        assert shows("Created by an import")


def test_a_queryset_update_shows_within_the_page_cache_lifetime(article, settings):
    settings.PAGE_CACHE_VERSION_SECONDS, settings.PAGE_CACHE_SECONDS = 1, 300
    with freeze_time("2030-03-01 09:00:00") as clock:
        public_page(article)
        Tag.objects.filter(slug="sleep").update(name="Renamed in bulk")  # leaves updated_at alone, by design
        clock.tick(timedelta(seconds=301))
        assert "Renamed in bulk" in public_page(article)


def test_demo_articles_show_their_tags_and_references(client):
    call_command("load_demo_content", stdout=io.StringIO())
    article = Article.objects.exclude(tags=None).first()
    page = public_page(article)
    assert article.tags.first().get_absolute_url() in page
    assert article.references.first().title in page
