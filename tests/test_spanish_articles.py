"""Articles in both languages: each version its own page, slug, review and lists; a reader finds the
other version from either one, search engines too; an editor writes the Spanish version from the English."""

import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Category, Tag
from tests.article_helpers import change_url, form_data, review_and_publish, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacing(make_article):
    """An English article with its Spanish version, and an English one that has none."""
    english = make_article(title="Pacing your energy", slug="pacing-your-energy", summary="Plan steady activity.")
    spanish = make_article(
        title="Cómo dosificar su energía",
        slug="como-dosificar-su-energia",
        summary="Planifique una actividad constante.",
        body="<p>Empiece despacio, sin prisa.</p>",
        language="es",
        translation_of=english,
    )
    make_article(title="Sleep habits", slug="sleep-habits")
    return english, spanish


def titles(response) -> list[str]:
    return re.findall(r'<h[23] class="h5"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_the_spanish_list_shows_only_spanish_versions_and_the_english_only_english(client, pacing):
    assert titles(client.get("/es/articles/")) == ["Cómo dosificar su energía"]
    assert "Cómo dosificar su energía" not in titles(client.get("/articles/"))
    assert titles(client.get("/es/")) == ["Cómo dosificar su energía"]  # the home page's latest


def test_a_spanish_reader_finds_the_spanish_version_by_a_spanish_word(client, pacing):
    assert titles(client.get("/es/articles/", {"q": "despacio"})) == ["Cómo dosificar su energía"]
    assert titles(client.get("/articles/", {"q": "despacio"})) == []


def test_category_tag_and_feed_pages_in_spanish_list_spanish_versions(client, pacing):
    english, spanish = pacing
    topic = Category.objects.create(name="Pain", slug="pain", name_es="Dolor")
    tag = Tag.objects.create(name="Energy", slug="energy", name_es="Energía")
    Article.objects.filter(pk__in=[english.pk, spanish.pk]).update(category=topic)
    for article in pacing:
        article.tags.add(tag)
    assert titles(client.get("/es/articles/category/pain/")) == ["Cómo dosificar su energía"]
    assert titles(client.get("/es/articles/tag/energy/")) == ["Cómo dosificar su energía"]
    # The topics' own words in each language, on their pages and on the article's.
    assert "<h1>Dolor</h1>" in client.get("/es/articles/category/pain/").content.decode()
    assert "<h1>Pain</h1>" in client.get("/articles/category/pain/").content.decode()
    spanish_page = client.get(spanish.get_absolute_url()).content.decode()
    assert ">Dolor</a>" in spanish_page and ">Energía</a>" in spanish_page
    feed = ElementTree.fromstring(client.get("/es/articles/feed/").content)
    assert [item.findtext("title") for item in feed.iter("item")] == ["Cómo dosificar su energía"]
    assert feed.findtext("channel/language") == "es"


def test_each_version_names_the_other_with_hreflang_and_the_switcher_leads_to_it(client, pacing):
    english, spanish = pacing
    english_url, spanish_url = "/articles/pacing-your-energy/", "/es/articles/como-dosificar-su-energia/"
    assert (english.get_absolute_url(), spanish.get_absolute_url()) == (english_url, spanish_url)
    for url, other, other_language in ((english_url, spanish_url, "es"), (spanish_url, english_url, "en")):
        page = client.get(url).content.decode()
        assert f'<link rel="alternate" hreflang="{other_language}" href="http://testserver{other}">' in page
        assert f'class="language-link" href="{other}"' in page


def test_an_article_without_a_spanish_version_names_none_and_the_switcher_leads_to_the_spanish_home(client, pacing):
    page = client.get("/articles/sleep-habits/").content.decode()
    assert 'hreflang="es" href' not in page
    assert 'class="language-link" href="/es/"' in page


def test_a_version_s_slug_under_the_other_language_leads_to_the_right_page(client, pacing):
    response = client.get("/es/articles/pacing-your-energy/")
    assert response["Location"] == "/es/articles/como-dosificar-su-energia/"
    assert client.get("/es/articles/sleep-habits/")["Location"] == "/articles/sleep-habits/"  # no Spanish version


def test_the_sitemap_lists_both_versions_each_with_its_alternates(client, pacing):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    alternates = {
        url.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    both = {
        "en": "http://testserver/articles/pacing-your-energy/",
        "es": "http://testserver/es/articles/como-dosificar-su-energia/",
    }
    assert alternates[both["en"]] == both
    assert alternates[both["es"]] == both
    assert alternates["http://testserver/articles/sleep-habits/"] == {}


def test_dates_and_reading_time_read_in_spanish(client, pacing):
    english, spanish = pacing
    Article.objects.filter(pk=spanish.pk).update(published_at=english.published_at.replace(year=2026, month=3, day=5))
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get(spanish.get_absolute_url()).content.decode()).split())
    assert "Publicado el 5 de marzo de 2026" in page
    assert "1 minuto de lectura" in page


def test_each_version_is_reviewed_on_its_own(client, pacing):
    english, spanish = pacing
    review_and_publish(english)
    assert "Medically reviewed by Dr Dana Review" in client.get(english.get_absolute_url()).content.decode()
    spanish_page = client.get(spanish.get_absolute_url()).content.decode()
    assert "Dr Dana Review" not in spanish_page  # approving the English text says nothing of the Spanish
    review_and_publish(spanish)
    assert "Dr Dana Review" in client.get(spanish.get_absolute_url()).content.decode()


def test_an_editor_writes_the_spanish_version_from_the_english_article(client, pacing, make_article):
    editor = staff_in("Editors", "ed")
    client.force_login(editor)
    original = make_article(title="Walking", slug="walking")
    page = client.get(change_url(original)).content.decode()
    add_link = f"{reverse('admin:articles_article_add')}?language=es&amp;translation_of={original.pk}"
    assert add_link in page and "Write the Spanish version" in page
    data = form_data(language="es", translation_of=str(original.pk), title="Caminar", slug="caminar")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get(slug="caminar").translation_of == original
    # A second Spanish version of the same article, or a "translation" in the original's own language, is refused.
    again = client.post(reverse("admin:articles_article_add"), {**data, "slug": "caminar-2"}).content.decode()
    assert "That article already has a version in this language." in again
    same = client.post(
        reverse("admin:articles_article_add"), form_data(language="en", translation_of=str(original.pk), slug="w2")
    ).content.decode()
    assert "A translation is in another language than the article it translates." in same


def test_the_demo_has_the_seed_article_in_spanish_reviewed_and_linked(client):
    call_command("load_demo_content", stdout=None)
    seed = Article.objects.get(slug="are-some-fibromyalgia-cases-autoimmune")
    spanish = seed.translations.get(language="es")
    assert spanish.is_public and spanish.reviews.filter(state="approved").exists()
    page = client.get(spanish.get_absolute_url()).content.decode()
    assert "¿Algunos casos de fibromialgia son autoinmunes?" in page
    assert "Tómese un momento para pedir su cita ahora" in page
    assert Article.objects.filter(language="es").count() >= 2


def test_versions_stay_one_original_with_one_translation_per_language(client, pacing, make_article):
    """So every version names the same others: an original cannot become a translation, nor take the
    language of one of its translations."""
    english, _spanish = pacing
    client.force_login(staff_in("Editors", "ed"))
    other = make_article(title="Otro", slug="otro", language="es")
    as_translation = form_data(title=english.title, slug=english.slug, translation_of=str(other.pk))
    page = client.post(change_url(english), as_translation).content.decode()
    assert "This article has translations, so it is an original." in page
    as_spanish = form_data(title=english.title, slug=english.slug, language="es")
    assert (
        "One of its translations is already in this language."
        in client.post(change_url(english), as_spanish).content.decode()
    )
    english.refresh_from_db()
    assert (english.language, english.translation_of) == ("en", None)
