"""A hero image cannot be saved without alt text, and readers get the image with its description."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.forms import MESSAGES
from articles.models import Article
from tests.article_helpers import ADD_URL, change_url, form_data, png_upload, review_and_publish, staff_in

pytestmark = pytest.mark.django_db


def test_an_image_without_alt_text_cannot_be_saved(client):
    client.force_login(staff_in("Editors"))
    response = client.post(ADD_URL, form_data(hero_image=png_upload(), hero_image_alt="   "))
    assert response.status_code == 200
    assert "Describe the image in the alt text" in response.content.decode()
    assert not Article.objects.exists()
    # The file input comes back empty: the editor is told to choose the picture again.
    assert response.context["adminform"].form.errors["hero_image"] == [MESSAGES["choose_image_again"]]


def test_an_image_with_alt_text_is_saved_and_shown_with_it(client):
    client.force_login(staff_in("Editors"))
    data = form_data(hero_image=png_upload(), hero_image_alt="A person walking on a trail")
    assert client.post(ADD_URL, data).status_code == 302
    article = review_and_publish(Article.objects.get())
    assert (article.hero_image_width, article.hero_image_height) == (40, 20)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{article.hero_image.url}" alt="A person walking on a trail" width="40" height="20"' in page


def test_removing_the_alt_text_of_a_saved_image_is_refused(client):
    client.force_login(staff_in("Editors"))
    client.post(ADD_URL, form_data(hero_image=png_upload(), hero_image_alt="A trail"))
    article = Article.objects.get()
    response = client.post(change_url(article), form_data(hero_image_alt=""))
    assert "Describe the image in the alt text" in response.content.decode()


def test_the_database_refuses_an_image_without_alt_text(make_article):
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(hero_image="articles/x.png", hero_image_alt="")


def test_an_article_without_an_image_needs_no_alt_text(client):
    client.force_login(staff_in("Editors"))
    assert client.post(ADD_URL, form_data()).status_code == 302


def test_pictures_in_the_text_need_alt_text(client):
    client.force_login(staff_in("Editors"))
    response = client.post(ADD_URL, form_data(body='<p>Text.</p><img src="/media/articles/body/knee.png">'))
    assert "Every picture in the text needs a description (alt text)" in response.content.decode()
    assert not Article.objects.exists()
    data = form_data(body='<p>Text.</p><img src="/media/articles/body/knee.png" alt="A knee brace">')
    assert client.post(ADD_URL, data).status_code == 302


def test_pictures_from_other_hosts_are_refused_not_stripped(client):
    client.force_login(staff_in("Editors"))
    response = client.post(ADD_URL, form_data(body='<p>Text.</p><img src="https://tracker.example/pixel.gif" alt="x">'))
    assert "“https://tracker.example/pixel.gif”" in response.content.decode()
    assert not Article.objects.exists()


def test_an_editor_uploads_a_picture_and_gets_its_address_for_the_editor(client):
    client.force_login(staff_in("Editors"))
    response = client.post(
        reverse("admin:articles_bodyimage_add"),
        {"title": "Knee brace", "image": png_upload("knee.png"), "alt_text": "A knee brace"},
    )
    assert response.status_code == 302
    page = client.get(reverse("admin:articles_bodyimage_changelist")).content.decode()
    assert "/media/articles/body/" in page
    assert "knee" in page


def test_a_huge_hero_image_is_refused(client, monkeypatch):
    monkeypatch.setattr("articles.forms.MAX_IMAGE_MB", 0)
    client.force_login(staff_in("Editors"))
    response = client.post(ADD_URL, form_data(hero_image=png_upload(), hero_image_alt="A trail"))
    assert "This image is larger than 0 MB" in response.content.decode()
