"""An editor writes an article, previews it and submits it; a medical reviewer approves it; the editor publishes it.

In a real browser under the site's Content-Security-Policy, with axe-core on every admin page on the way
and not one console error (the rich-text editor included).
"""

from django.test import Client

from articles.models import Article
from tests.article_helpers import medical_reviewer, staff_in
from tests.helpers import admin_url

from .conftest import AXE_SOURCE
from .test_every_page_passes_axe import AXE_TAGS

TITLE = "Gentle stretches for stiff mornings"


def signed_in(visit, user):
    """A browser tab with `user`'s admin session."""
    client = Client()
    client.force_login(user)
    tab = visit()
    tab.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": tab.base_url}])
    return tab


def admin_axe(page) -> list[str]:
    """axe-core on an admin page, without its CSS preload: that fetches the admin's @import-ed stylesheet
    and re-adds it as an inline <style>, which the CSP rightly blocks (the test's error, not the page's)."""
    page.evaluate(AXE_SOURCE.read_text() + "\n;0")
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, preload: false}).then(
            results => results.violations.map(v => `${v.impact} ${v.id}: ${v.nodes.map(n => n.target.join(' '))}`))""",
        AXE_TAGS,
    )


def test_write_preview_submit_approve_and_publish(visit):
    editor, reviewer = staff_in("Editors", "ed"), medical_reviewer("dr-review", "Dr Dana Review", "MD")
    writer = signed_in(visit, editor)
    page = writer.page

    page.goto(admin_url("articles_article_add"))
    page.locator(".ProseMirror[contenteditable=true]").wait_for()
    assert admin_axe(page) == []
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Five minutes of stretching can ease morning stiffness.")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Start slowly, and stop if it hurts.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url("**/change/")
    article = Article.objects.get(title=TITLE)
    assert article.body == "<p>Start slowly, and stop if it hurts.</p>"
    assert admin_axe(page) == []

    page.goto(article.get_preview_url())
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert page.get_by_text("Medically reviewed by").count() == 0

    page.goto(admin_url("articles_article_change", article.pk))
    page.get_by_label("Note to the reviewer (optional)").fill("New article, please check the advice.")
    page.get_by_role("button", name="Submit for medical review").click()
    page.get_by_text("waiting for a medical reviewer").wait_for()
    assert admin_axe(page) == []

    checker = signed_in(visit, reviewer)
    review = checker.page
    review.goto(admin_url("index"))
    assert admin_axe(review) == []
    review.get_by_role("link", name=TITLE).click()
    review.get_by_text("Start slowly, and stop if it hurts.").wait_for()
    assert admin_axe(review) == []
    review.get_by_label("Approve: the text is medically accurate").check()
    review.get_by_role("button", name="Record my decision").click()
    review.get_by_text("Your decision is recorded").wait_for()

    page.goto(admin_url("articles_article_change", article.pk))
    page.get_by_text("Approved by Dr Dana Review, MD").wait_for()
    assert admin_axe(page) == []
    page.get_by_role("button", name="Publish the reviewed article").click()
    page.get_by_text("Published: readers see this version now.").wait_for()

    reader = visit().page
    reader.goto(Article.objects.get(pk=article.pk).get_absolute_url())
    assert reader.get_by_text("Medically reviewed by Dr Dana Review, MD").count() == 1

    for tab in (writer, checker):
        assert tab.console_errors == [], tab.console_errors


def test_a_superuser_publishes_an_urgent_correction_and_the_page_drops_the_reviewed_line(visit, admin_user):
    article = Article.objects.get(slug="are-some-fibromyalgia-cases-autoimmune")
    reader = visit().page
    reader.goto(article.get_absolute_url())
    assert reader.get_by_text("Medically reviewed by").count() == 1

    tab = signed_in(visit, admin_user)
    page = tab.page
    page.goto(admin_url("articles_article_change", article.pk))
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Correction: the second study was published in 2014.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("Changes waiting:").wait_for()
    assert admin_axe(page) == []
    page.get_by_role("button", name="Publish now without review (urgent correction)").click()
    page.get_by_text("Published: readers see this version now.").wait_for()

    reader.goto(article.get_absolute_url())
    assert reader.get_by_text("Correction: the second study was published in 2014.").count() == 1
    assert reader.get_by_text("Medically reviewed by").count() == 0
    assert tab.console_errors == [], tab.console_errors
