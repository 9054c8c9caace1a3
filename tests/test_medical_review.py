"""An editor's change to a live article waits for a medical reviewer; the reviewed line is the reviewer's own word."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Article, Contributor, Review
from articles.versions import fingerprint
from tests.article_helpers import (
    LIST_URL,
    change_url,
    form_data,
    medical_reviewer,
    review_and_publish,
    staff_in,
)
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/articles/", "/articles/?q=Walking", "/articles/feed/", "/sitemap.xml"]


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://clinic.example"


@pytest.fixture
def editor() -> User:
    user = staff_in("Editors", "ed")
    user.email = "ed@clinic.example"
    user.save()
    return user


@pytest.fixture
def reviewer() -> User:
    return medical_reviewer("dr-review", "Dr Dana Review", "MD, rheumatology")


@pytest.fixture
def live(make_article, editor, reviewer) -> Article:
    article = make_article(title="Walking for joint health", slug="walking-for-joint-health", status="draft")
    return review_and_publish(article, editor=editor, reviewer=reviewer)


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def anonymous(url: str) -> str:
    return Client().get(url).content.decode()


def save_edit(client: Client, article: Article, **changes) -> None:
    data = form_data(**{"status": "published", **changes})
    data["published_at_0"], data["published_at_1"] = (
        f"{timezone.localtime(article.published_at):%Y-%m-%d %H:%M:%S}".split()
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""


def step(client: Client, article: Article, name: str, data=None):
    return client.post(admin_url(f"articles_article_{name}", article.pk), data or {}, follow=True)


def decide(client: Client, article: Article, decision: str, comment: str = "", **extra):
    content = workflow.current_version(article)[1]
    data = {"decision": decision, "comment": comment, "seen": fingerprint(content)}
    data["next_review_due"] = (timezone.localdate() + timedelta(days=200)).isoformat()
    return client.post(admin_url("articles_article_review", article.pk), data | extra, follow=True)


def test_an_edit_of_a_live_article_waits_and_the_public_keeps_the_published_version(live, editor):
    for url in [live.get_absolute_url(), *PUBLIC]:
        anonymous(url)  # in the page cache
    save_edit(as_user(editor), live, title="Walking: an unreviewed title", body="<p>Unreviewed advice.</p>")
    live.refresh_from_db()
    assert live.title == "Walking for joint health"
    for url in [live.get_absolute_url(), *PUBLIC]:
        page = anonymous(url)
        assert "unreviewed" not in page.lower(), url
    assert anonymous("/articles/?q=unreviewed").count("article-card") == 0
    editor_client = as_user(editor)
    listing = editor_client.get(LIST_URL, {"pending": "yes"}).context["cl"].result_list
    assert [article.pk for article in listing] == [live.pk]
    preview = editor_client.get(live.get_preview_url()).content.decode()
    assert "Walking: an unreviewed title" in preview
    assert "Medically reviewed by" not in preview, "nobody approved this text yet"
    form = editor_client.get(change_url(live)).context["adminform"].form
    assert form.initial["title"] == "Walking: an unreviewed title", "the editor goes on with the pending text"
    history = editor_client.get(admin_url("articles_article_history", live.pk)).content.decode()
    assert "Walking: an unreviewed title" in history
    assert "Published the reviewed version." in history


def test_submit_approve_and_publish_sets_the_reviewed_line_and_tells_the_editor(
    live, editor, reviewer, django_capture_on_commit_callbacks
):
    save_edit(as_user(editor), live, body="<p>Reviewed advice.</p>")
    step(as_user(editor), live, "submit", {"note": "New advice in the second paragraph."})
    index = as_user(reviewer).get(admin_url("index")).content.decode()
    assert admin_url("articles_article_review", live.pk) in index
    page = as_user(reviewer).get(admin_url("articles_article_review", live.pk)).content.decode()
    assert "Reviewed advice." in page and "New advice in the second paragraph." in page
    with django_capture_on_commit_callbacks(execute=True):
        decide(as_user(reviewer), live, "approve")
    (email,) = mail.outbox
    assert email.to == ["ed@clinic.example"]
    assert "Approved by the medical reviewer: Walking for joint health" in email.subject
    assert f"https://clinic.example{change_url(live)}" in email.body
    assert "ready to publish" in as_user(editor).get(admin_url("index")).content.decode()
    assert "Reviewed advice." not in anonymous(live.get_absolute_url()), "approved is not published"
    step(as_user(editor), live, "publish")
    page = anonymous(live.get_absolute_url())
    assert "Reviewed advice." in page
    today = timezone.localdate()
    assert f"Medically reviewed by Dr Dana Review, MD, rheumatology — last reviewed {today:%B} {today.day}" in page
    live.refresh_from_db()
    assert live.next_review_due == today + timedelta(days=200)


def test_a_reviewer_sends_it_back_with_a_comment_and_the_editor_is_told(
    live, editor, reviewer, django_capture_on_commit_callbacks
):
    save_edit(as_user(editor), live, body="<p>Doubtful advice.</p>")
    step(as_user(editor), live, "submit")
    no_comment = decide(as_user(reviewer), live, "send_back")
    assert "Say what needs changing" in no_comment.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        decide(as_user(reviewer), live, "send_back", "Cite the 2020 guideline for the dose.")
    assert "Cite the 2020 guideline for the dose." in mail.outbox[0].body
    assert "Sent back by the medical reviewer" in mail.outbox[0].subject
    assert "Cite the 2020 guideline for the dose." in as_user(editor).get(admin_url("index")).content.decode()
    assert "Cite the 2020 guideline for the dose." in as_user(editor).get(change_url(live)).content.decode()
    refused = step(as_user(editor), live, "publish")
    assert "Not published: a medical reviewer has not approved this text." in refused.content.decode()
    assert "Doubtful advice." not in anonymous(live.get_absolute_url())


def test_the_queue_is_oldest_first(make_article, editor, reviewer):
    older, newer = make_article(title="Older", status="draft"), make_article(title="Newer", status="draft")
    first = workflow.submit(older, by=editor)
    second = workflow.submit(newer, by=editor)
    Review.objects.filter(pk=first.pk).update(submitted_at=second.submitted_at - timedelta(hours=1))
    index = as_user(reviewer).get(admin_url("index")).content.decode()
    queue = index[index.index('id="review-queue"') :]
    assert queue.index("Older") < queue.index("Newer")


@pytest.mark.parametrize("who", ["submitter", "author", "no-credentials", "editor"])
def test_only_an_independent_reviewer_with_credentials_approves(make_article, editor, reviewer, who):
    article = make_article(status="draft")
    if who == "submitter":
        editor.groups.add(*reviewer.groups.all())
        Contributor.objects.create(name="Ed Both", credentials="RN", user=editor)
        decider = editor
    elif who == "author":
        Article.objects.filter(pk=article.pk).update(author=reviewer.contributor)
        decider = reviewer
    elif who == "no-credentials":
        decider = medical_reviewer("dr-none", "Dr None", credentials="")
    else:
        decider = staff_in("Editors", "another-editor")
    workflow.submit(article, by=editor)
    response = decide(as_user(decider), article, "approve")
    assert response.status_code in (200, 403)
    assert not Review.objects.approved().exists()


def test_an_edit_after_the_approval_needs_a_new_one(make_article, editor, reviewer):
    article = make_article(status="draft")
    workflow.submit(article, by=editor)
    decide(as_user(reviewer), article, "approve")
    article.body = "<p>Changed after the approval.</p>"
    article.save()
    panel = as_user(editor).get(change_url(article)).content.decode()
    assert "Changed since a medical reviewer approved it" in panel
    with pytest.raises(workflow.Refused):
        workflow.publish(article, by=editor)


def test_the_text_changed_while_the_reviewer_read_it_is_not_approved(make_article, editor, reviewer):
    article = make_article(status="draft")
    workflow.submit(article, by=editor)
    stale = fingerprint(workflow.current_version(article)[1])
    article.body = "<p>Changed meanwhile.</p>"
    article.save()
    response = decide(as_user(reviewer), article, "approve", seen=stale)
    assert "The text changed while you were reading it" in response.content.decode()


def test_a_superuser_publishes_an_urgent_correction_without_the_reviewed_line(live, reviewer, admin_user):
    save_edit(as_user(admin_user), live, body="<p>Urgent: the dose was wrong.</p>", publish_without_review="on")
    page = anonymous(live.get_absolute_url())
    assert "Urgent: the dose was wrong." in page
    assert "Medically reviewed by" not in page
    assert admin_url("articles_article_review", live.pk) in as_user(reviewer).get(admin_url("index")).content.decode()
    live.refresh_from_db()
    decide(as_user(reviewer), live, "approve")
    assert "Medically reviewed by Dr Dana Review" in anonymous(live.get_absolute_url())


def test_an_editor_cannot_publish_urgently(live, editor):
    save_edit(as_user(editor), live, body="<p>Not urgent at all.</p>", publish_without_review="on")
    assert "Not urgent at all." not in anonymous(live.get_absolute_url())
    step(as_user(editor), live, "publish", {"urgent": "1"})
    assert "Not urgent at all." not in anonymous(live.get_absolute_url())


def test_an_article_without_an_approval_has_no_reviewed_line(make_article, admin_user):
    article = make_article(status="draft")
    workflow.publish(article, by=admin_user, urgent=True)
    assert "Medically reviewed by" not in anonymous(article.get_absolute_url())


def test_reviewers_cannot_see_appointment_requests_or_change_articles(live, reviewer, make_request):
    client = as_user(reviewer)
    assert client.get(admin_url("appointments_appointmentrequest_changelist")).status_code == 403
    assert client.get(admin_url("appointments_appointmentrequest_change", make_request().pk)).status_code == 403
    assert client.get(change_url(live)).status_code == 200, "they read it"
    data = form_data(status="published", title="Changed by a reviewer")
    assert client.post(change_url(live), data).status_code == 403
    assert "Appointment requests" not in client.get(admin_url("index")).content.decode()


def test_discarding_a_pending_change_withdraws_its_review(live, editor):
    save_edit(as_user(editor), live, title="A change nobody wants")
    step(as_user(editor), live, "submit")
    step(as_user(editor), live, "discard")
    assert workflow.pending_change(live) is None
    assert not Review.objects.waiting().exists()
    assert as_user(editor).get(change_url(live)).context["adminform"].form.initial["title"] == live.title
