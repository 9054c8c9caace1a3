"""Editors run the publishing workflow in the admin: list, filters, actions, history, overdue reviews."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.editor_csp import injected_style_source
from articles.models import Article, Contributor
from tests.article_helpers import ADD_URL, LIST_URL, change_url, form_data, review_and_publish, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Editors"))
    return client


def overdue(make_article, **fields) -> Article:
    return make_article(next_review_due=timezone.localdate() - timedelta(days=1), **fields)


def test_the_list_shows_workflow_columns(editor_client, make_article):
    make_article(
        title="Pacing",
        author=Contributor.objects.create(name="Ann Writer"),
        medical_reviewer=Contributor.objects.create(name="Bea Review", credentials="MD"),
    )
    page = editor_client.get(LIST_URL).content.decode()
    for column in (
        "Status",
        "Category",
        "Author",
        "Medical reviewer",
        "Publish date",
        "Last reviewed",
        "Next review due",
    ):
        assert f">{column}<" in page or f">{column}</a>" in page, column
    assert "Bea Review, MD" in page


def test_the_review_overdue_filter_lists_only_overdue_articles(editor_client, make_article):
    overdue(make_article, title="Stale")
    make_article(title="Fresh", next_review_due=timezone.localdate() + timedelta(days=90))
    overdue(make_article, title="Archived stale", status=Article.Status.ARCHIVED)
    response = editor_client.get(LIST_URL, {"review": "overdue"})
    assert [a.title for a in response.context["cl"].result_list] == ["Stale"]


def test_the_admin_index_counts_overdue_articles_for_editors(editor_client, make_article):
    overdue(make_article)
    overdue(make_article)
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "2 articles are overdue for medical review" in page
    assert f'href="{LIST_URL}?review=overdue"' in page


def test_the_front_desk_does_not_get_the_article_summary(client, make_article):
    overdue(make_article)
    client.force_login(staff_in("Front desk"))
    assert "overdue for medical review" not in client.get(reverse("admin:index")).content.decode()


def test_publish_and_unpublish_actions(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    unreviewed = make_article(title="Unreviewed", status=Article.Status.DRAFT, published_at=None)
    review_and_publish(draft)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    selected = {"action": "publish", "_selected_action": [draft.pk, unreviewed.pk]}
    response = editor_client.post(LIST_URL, selected, follow=True)
    draft.refresh_from_db()
    unreviewed.refresh_from_db()
    assert draft.is_public
    assert not unreviewed.is_public, "publishing needs an approval"
    told = [str(message) for message in response.context["messages"]]
    assert any(text.startswith("“Unreviewed”: Not published: a medical reviewer has not approved") for text in told)
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    editor_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert editor_client.get(draft.get_absolute_url()).status_code == 404


def test_history_records_who_changed_what_and_restores_an_earlier_version(editor_client):
    editor_client.post(
        ADD_URL, form_data(title="First title", references=[{"position": 1, "title": "A", "source": "B", "year": 2008}])
    )
    article = Article.objects.get()
    editor_client.post(change_url(article), form_data(title="Second title"))
    article.refresh_from_db()
    assert article.title == "Second title"
    versions = Version.objects.get_for_object(article)
    assert len(versions) == 2
    assert versions[1].revision.user.username == "editors"
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "editors" in history
    first = versions[1]
    restore_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    assert "First title" in editor_client.get(restore_url).content.decode()
    assert editor_client.post(restore_url).status_code == 302
    article.refresh_from_db()
    assert article.title == "First title"
    assert [reference.title for reference in article.references.all()] == ["A"]


@pytest.mark.parametrize("model", ["article", "category", "tag", "contributor", "slugredirect", "bodyimage"])
def test_editors_can_add_every_article_model(editor_client, model):
    assert editor_client.get(reverse(f"admin:articles_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", ["article", "category", "tag", "contributor", "slugredirect", "bodyimage"])
def test_front_desk_cannot_touch_articles(client, model):
    client.force_login(staff_in("Front desk"))
    assert client.get(reverse(f"admin:articles_{model}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:articles_{model}_add")).status_code == 403


def test_front_desk_cannot_post_an_article(client):
    client.force_login(staff_in("Front desk"))
    assert client.post(ADD_URL, form_data()).status_code == 403
    assert not Article.objects.exists()


def test_the_editor_is_a_wysiwyg_served_from_our_static_files(editor_client):
    page = editor_client.get(ADD_URL).content.decode()
    assert "data-django-prose-editor-configurable" in page
    assert '<script type="importmap" nonce="' in page
    assert "/static/django_prose_editor/editor.js" in page
    assert "https://" not in page.split("<body")[0].replace("https://schema.org", "")


def test_a_deleted_article_can_be_recovered_from_history(editor_client):
    editor_client.post(ADD_URL, form_data(title="Gone by mistake"))
    article = Article.objects.get()
    editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.exists()
    page = editor_client.get(reverse("admin:articles_article_recoverlist")).content.decode()
    assert "Gone by mistake" in page


def test_the_admin_index_says_when_nothing_is_overdue(editor_client, make_article):
    make_article(next_review_due=timezone.localdate() + timedelta(days=10))
    assert "No article is overdue for medical review." in editor_client.get(reverse("admin:index")).content.decode()


def test_a_reference_address_is_a_plain_box_that_keeps_the_table_narrow(editor_client, make_article):
    article = make_article()
    article.references.create(title="A study", source="A journal", year=2008, url="https://example.org/study")
    page = editor_client.get(change_url(article)).content.decode()
    assert 'value="https://example.org/study"' in page
    assert "Currently:" not in page, "the admin URL widget's extra block widens the references table"


def test_the_list_puts_status_and_review_dates_before_the_names(editor_client, make_article):
    make_article()
    page = editor_client.get(LIST_URL).content.decode()
    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', page)
    assert headers[:6] == ["title", "state", "is_public", "published_at", "review_state", "has_changes_waiting"]


def test_the_editor_page_allows_the_editor_s_own_style_by_its_hash_and_public_pages_allow_none(editor_client, client):
    editor_policy = editor_client.get(ADD_URL)["Content-Security-Policy"]
    style_src = next(part for part in editor_policy.split(";") if part.strip().startswith("style-src"))
    assert style_src.split() == ["style-src", "'self'", injected_style_source()]
    assert "unsafe-inline" not in editor_policy
    public_policy = client.get("/").headers["Content-Security-Policy"]
    assert "style-src 'self';" in public_policy + ";"
