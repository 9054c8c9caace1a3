"""The medical review's rules one by one, as the workflow applies them whoever calls it, and the list's filters."""

from datetime import timedelta

import pytest
from django.contrib import messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Category, Contributor, PendingChange, Review
from articles.versions import apply, content_of, fingerprint
from clinic.models import ClinicDetails
from tests.article_helpers import LIST_URL, medical_reviewer, review_and_publish, staff_in

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + timedelta(days=365)


@pytest.fixture
def editor():
    return staff_in("Editors", "ed")


@pytest.fixture
def reviewer():
    return medical_reviewer()


def decide(review, reviewer, **options):
    content = workflow.current_version(review.article)[1]
    return workflow.decide(review, by=reviewer, seen=fingerprint(content), **options)


def test_an_edit_back_to_the_live_text_drops_the_pending_change(make_article, editor):
    article = review_and_publish(make_article(status="draft"))
    first = workflow.save_edit(article, {**content_of(article), "title": "One"}, by=editor)
    again = workflow.save_edit(article, {**content_of(article), "title": "Two"}, by=editor)
    assert again.pk == first.pk
    assert again.content["title"] == "Two"
    assert workflow.save_edit(article, content_of(article), by=editor) is None
    assert PendingChange.objects.get().state == PendingChange.State.DISCARDED


def test_a_second_submission_or_one_already_approved_is_refused(make_article, editor, reviewer):
    article = make_article(status="draft")
    review = workflow.submit(article, by=editor)
    with pytest.raises(workflow.Refused, match="already waits"):
        workflow.submit(article, by=editor)
    decide(review, reviewer, approve=True, next_review_due=NEXT_YEAR)
    with pytest.raises(workflow.Refused, match="already approved"):
        workflow.submit(article, by=editor)
    with pytest.raises(workflow.Refused, match="already been decided"):
        decide(review, reviewer, approve=True, next_review_due=NEXT_YEAR)


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        ({"approve": False, "comment": "  "}, "Say what needs changing"),
        ({"approve": True, "next_review_due": None}, "a date after today"),
        ({"approve": True, "next_review_due": timezone.localdate()}, "a date after today"),
    ],
)
def test_a_decision_needs_a_comment_or_a_next_review_date(make_article, editor, reviewer, options, refusal):
    review = workflow.submit(make_article(status="draft"), by=editor)
    with pytest.raises(workflow.Refused, match=refusal):
        decide(review, reviewer, **options)


def test_someone_outside_medical_reviewers_cannot_decide(make_article, editor):
    review = workflow.submit(make_article(status="draft"), by=editor)
    with pytest.raises(workflow.Refused, match="Only medical reviewers"):
        decide(review, staff_in("Editors", "other"), approve=True, next_review_due=NEXT_YEAR)


def test_restoring_leaves_out_a_deleted_category_and_author_and_keeps_a_taken_slug(make_article):
    gone = Category.objects.create(name="Gone", slug="gone")
    writer = Contributor.objects.create(name="Gone Writer")
    article = make_article(slug="mine", category=gone, author=writer, status="draft")
    content = content_of(article)
    Article.objects.filter(pk=article.pk).update(category=None, author=None)
    gone.delete()
    writer.delete()
    make_article(slug="taken")
    article.refresh_from_db()
    notes = apply(article, {**content, "slug": "taken", "hero_image": "articles/2026/missing.png"})
    assert len(notes) == 4, notes
    article.refresh_from_db()
    assert (article.slug, article.category, article.author, article.hero_image.name) == ("mine", None, None, "")


def test_the_review_page_and_steps_refuse_what_cannot_be_done(make_article, editor, reviewer):
    article = make_article(status="draft")
    checker = Client()
    checker.force_login(reviewer)
    told = checker.get(reverse("admin:articles_article_review", args=[article.pk]), follow=True)
    assert "Nothing of this article waits for review." in [str(message) for message in told.context["messages"]]
    writer = Client()
    writer.force_login(editor)
    workflow.submit(article, by=editor)
    again = writer.post(reverse("admin:articles_article_submit", args=[article.pk]), follow=True)
    assert any(message.level == messages.ERROR for message in again.context["messages"])
    assert writer.post(reverse("admin:articles_article_discard", args=[article.pk])).status_code == 302
    assert checker.post(reverse("admin:articles_article_publish", args=[article.pk])).status_code == 403


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [("waiting", ["Waiting"]), ("sent_back", ["Sent back"]), ("due-soon", ["Due soon"]), ("", None)],
)
def test_the_review_filter(make_article, editor, reviewer, parameter, expected):
    waiting = make_article(title="Waiting", status="draft")
    workflow.submit(waiting, by=editor)
    sent_back = make_article(title="Sent back", status="draft")
    decide(workflow.submit(sent_back, by=editor), reviewer, approve=False, comment="Check the dose.")
    make_article(title="Due soon", next_review_due=timezone.localdate() + timedelta(days=10))
    client = Client()
    client.force_login(editor)
    shown = client.get(LIST_URL, {"review": parameter} if parameter else {}).context["cl"].result_list
    titles = sorted(article.title for article in shown)
    assert titles == (expected or ["Due soon", "Sent back", "Waiting"])


@pytest.mark.parametrize(("parameter", "expected"), [("draft", ["Draft"]), ("archived", ["Archived"])])
def test_the_status_filter_drafts_and_archived(make_article, editor, parameter, expected):
    make_article(title="Draft", status="draft")
    make_article(title="Archived", status="archived")
    make_article(title="Live")
    client = Client()
    client.force_login(editor)
    shown = client.get(LIST_URL, {"state": parameter}).context["cl"].result_list
    assert [article.title for article in shown] == expected


def test_records_name_themselves(make_article, editor):
    article = make_article(title="Pacing", status="draft")
    assert str(workflow.submit(article, by=editor)) == "Pacing — Waiting for review"
    pending = PendingChange.objects.create(article=article, content={"title": "Pacing, revised"})
    assert str(pending) == "Pacing, revised (Waiting to be published)"
    assert str(ClinicDetails.get_solo()) == "Clinic details"
    assert Review.objects.waiting().count() == 1


def test_an_editor_cannot_change_who_a_reviewer_is(editor, reviewer):
    client = Client()
    client.force_login(editor)
    linked = Contributor.objects.get(user=reviewer)
    url = reverse("admin:articles_contributor_change", args=[linked.pk])
    client.post(url, {"name": "Someone Else", "credentials": "PhD", "user": editor.pk})
    linked.refresh_from_db()
    assert (linked.name, linked.credentials, linked.user) == ("Dr Dana Review", "MD", reviewer)
    unlinked = Contributor.objects.create(name="Sam Writer")
    url = reverse("admin:articles_contributor_change", args=[unlinked.pk])
    assert client.post(url, {"name": "Sam Writer", "credentials": "RN", "user": editor.pk}).status_code == 302
    unlinked.refresh_from_db()
    assert (unlinked.credentials, unlinked.user) == ("RN", None)
