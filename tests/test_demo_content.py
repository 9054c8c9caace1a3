"""A new user loads the demo and sees every trust signal, with every sample plainly marked as a sample."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles import workflow
from articles.models import Article, Category, Contributor, Reference, Review, Tag
from articles.versions import content_of

pytestmark = pytest.mark.django_db


def load() -> None:
    call_command("load_demo_content", stdout=StringIO())


def snapshot() -> dict:
    return {
        "articles": {a.slug: (a.updated_at, a.hero_image.name) for a in Article.objects.all()},
        "references": list(Reference.objects.values_list("pk", flat=True)),
        "contributors": list(Contributor.objects.values_list("pk", flat=True)),
        "tags": {a.slug: sorted(a.tags.values_list("slug", flat=True)) for a in Article.objects.all()},
    }


def test_every_demo_article_has_every_field_filled():
    load()
    for article in Article.objects.all():
        assert article.is_public
        for field in ("category", "author", "medical_reviewer", "last_reviewed", "next_review_due"):
            assert getattr(article, field), (article.slug, field)
        assert article.hero_image
        assert article.hero_image_alt
        assert article.references.exists()
    assert Article.objects.filter(tags__isnull=False).distinct().count() >= 3


def test_samples_are_plainly_marked_and_no_citation_could_pass_for_real():
    load()
    for person in Contributor.objects.all():
        assert "(sample)" in str(person)
    marked = {"en": "Sample reference — placeholder", "es": "Referencia de ejemplo — marcador"}
    for reference in Reference.objects.select_related("article"):
        assert reference.title.startswith(marked[reference.article.language])
        assert not reference.url
        assert not reference.doi
    for article in Article.objects.all():
        assert {"en": "placeholder", "es": "imagen de muestra"}[article.language] in article.hero_image_alt


def test_the_seed_article_cites_the_2008_study_and_a_follow_up(client):
    load()
    seed = Article.objects.get(slug="are-some-fibromyalgia-cases-autoimmune")
    assert seed.references.first().year == 2008
    assert seed.references.count() == 2
    page = client.get(seed.get_absolute_url()).content.decode()
    assert "Medically reviewed by Sample Reviewer, MD (sample) — last reviewed" in page


def test_running_it_again_changes_nothing():
    load()
    first = snapshot()
    load()
    assert snapshot() == first


def test_it_fills_the_gaps_of_an_older_demo_without_overwriting_an_editor(make_article):
    make_article(slug="pacing-your-energy-with-chronic-pain", title="Edited by an editor")
    load()
    article = Article.objects.get(slug="pacing-your-energy-with-chronic-pain")
    assert article.title == "Edited by an editor"
    assert article.medical_reviewer is not None
    assert article.hero_image


def test_each_demo_reviewed_line_stands_for_a_recorded_sample_approval_of_that_text():
    load()
    load()  # again: no second approval
    for article in Article.objects.all():
        (approval,) = article.reviews.all()
        assert approval.state == Review.State.APPROVED
        assert approval.reviewer == article.medical_reviewer
        assert "Sample approval" in approval.comment
        assert workflow.approval_for(article, content_of(article)) == approval


def test_an_older_demo_s_topics_get_their_spanish_names_without_losing_an_editor_s():
    Category.objects.create(slug="chronic-pain", name="Chronic pain")
    Tag.objects.create(slug="sleep", name="Sleep", name_es="Descanso")  # an editor's choice
    load()
    assert Category.objects.get(slug="chronic-pain").name_es == "Dolor crónico"
    assert Tag.objects.get(slug="sleep").name_es == "Descanso"
