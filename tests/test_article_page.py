"""A reader sees every trust signal on an article page, and only public articles as related reading."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Category, Contributor, Reference, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_article(make_article):
    pain = Category.objects.create(name="Chronic pain", slug="chronic-pain")
    article = make_article(
        title="Pacing",
        body="<p>" + "word " * 450 + "</p>",
        category=pain,
        author=Contributor.objects.create(name="Ann Writer", credentials="MPH"),
        medical_reviewer=Contributor.objects.create(name="Dr Bea Review", credentials="MD, rheumatology"),
        last_reviewed=date(2026, 10, 2),
        next_review_due=date(2027, 10, 2),
    )
    article.tags.add(Tag.objects.create(name="Sleep", slug="sleep"))
    Reference.objects.create(article=article, title="Second study", source="Journal B", year=2015, position=2)
    Reference.objects.create(
        article=article, title="First study", source="Journal A", year=2008, doi="10.1000/abc", position=1
    )
    return article


def test_the_page_shows_byline_review_reading_time_references_and_disclaimer(client, reviewed_article):
    page = client.get(reviewed_article.get_absolute_url()).content.decode()
    assert "By Ann Writer, MPH" in page
    assert "Medically reviewed by Dr Bea Review, MD, rheumatology — last reviewed October 2, 2026" in page
    assert "2 minute read" in page
    references = page[page.index('<section class="article-references"') :]
    assert references.index("First study") < references.index("Second study")
    assert "<ol>" in references
    assert 'href="https://doi.org/10.1000/abc"' in references
    assert "It is not medical advice" in page
    assert page.index("It is not medical advice") < page.index("Take a Moment to Request Your Appointment Now")


def test_related_articles_share_a_category_or_tag_and_are_public(client, make_article, reviewed_article):
    same_category = make_article(title="Same category", category=reviewed_article.category)
    same_tag = make_article(title="Same tag")
    same_tag.tags.add(Tag.objects.get(slug="sleep"))
    make_article(title="Unrelated")
    make_article(title="Related draft", category=reviewed_article.category, status=Article.Status.DRAFT)
    make_article(
        title="Related future",
        category=reviewed_article.category,
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    make_article(title="Related archived", category=reviewed_article.category, status=Article.Status.ARCHIVED)
    page = client.get(reviewed_article.get_absolute_url()).content.decode()
    related = page[page.index('id="related-heading"') :]
    assert same_category.title in related
    assert same_tag.title in related
    for hidden in ("Unrelated", "Related draft", "Related future", "Related archived"):
        assert hidden not in related


def test_category_and_tag_pages_list_public_articles(client, make_article, reviewed_article):
    make_article(title="Hidden draft", category=reviewed_article.category, status=Article.Status.DRAFT)
    for url in ("/articles/category/chronic-pain/", "/articles/tag/sleep/"):
        page = client.get(url).content.decode()
        assert "Pacing" in page
        assert "Hidden draft" not in page
    assert client.get("/articles/category/nothing/").status_code == 404


def test_the_call_to_action_can_be_the_phone_or_nothing(client, make_article, settings):
    phone = make_article(call_to_action=Article.CallToAction.PHONE)
    page = client.get(phone.get_absolute_url()).content.decode()
    assert settings.CLINIC["PHONE"] in page
    assert 'name="first_name"' not in page
    nothing = make_article(call_to_action=Article.CallToAction.NONE)
    page = client.get(nothing.get_absolute_url()).content.decode()
    assert "Take a Moment to Request Your Appointment Now" not in page


# HTML's "valid global date and time string": at most three digits of fractions of a second.
VALID_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)")


@pytest.mark.parametrize("url", ["ARTICLE", "/", "/articles/"])
def test_time_elements_carry_valid_html_datetimes(client, make_article, url):
    article = make_article(published_at=timezone.now().replace(microsecond=123456) - timedelta(days=1))
    page = client.get(article.get_absolute_url() if url == "ARTICLE" else url).content.decode()
    values = re.findall(r'<time datetime="([^"]*)"', page)
    assert values, "the page dates the article"
    for value in values:
        assert VALID_DATETIME.fullmatch(value), value
