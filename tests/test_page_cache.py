"""Cached pages are shared between patients, but nothing that belongs to one patient is."""

import re
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import RequestContext, Template
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from appointments.models import AppointmentRequest
from articles.models import Article
from clinic import page_cache

pytestmark = pytest.mark.django_db

FORM_URL = "/appointments/request/"


def tokens(response) -> tuple[str, str]:
    page = response.content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form_token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    return csrf, form_token


@pytest.fixture
def article_url(make_article) -> str:
    return make_article(title="Pacing your energy").get_absolute_url()


@pytest.mark.parametrize("page", ["article", "form"])
def test_two_patients_get_their_own_csrf_and_form_tokens(article_url, page):
    url = article_url if page == "article" else FORM_URL
    first, second = Client(), Client()
    first_tokens, second_tokens = tokens(first.get(url)), tokens(second.get(url))
    assert first_tokens[0] != second_tokens[0]
    assert first_tokens[1] != second_tokens[1]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # The same patient reloading gets a fresh form, too.
    assert tokens(first.get(url))[1] != first_tokens[1]


@pytest.mark.parametrize("page", ["article", "form"])
def test_a_patient_served_from_the_cache_can_send_the_form(article_url, page, valid_data):
    url = article_url if page == "article" else FORM_URL
    Client().get(url)  # someone else fills the cache
    patient = Client(enforce_csrf_checks=True)
    csrf, form_token = tokens(patient.get(url))
    response = patient.post(url, {**valid_data, "csrfmiddlewaretoken": csrf, "form_token": form_token})
    assert response.status_code == 302
    assert str(AppointmentRequest.objects.get().submission_token) == form_token


def test_pages_with_a_form_are_never_stored_by_browsers(client, article_url):
    for url in (article_url, FORM_URL):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert not response.has_header("ETag")


@pytest.mark.parametrize("url", ["/", "/articles/", "/articles/?q=pacing"])
def test_an_unchanged_page_answers_a_conditional_get_with_304(client, article_url, url):
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_an_editors_change_shows_at_once_everywhere(client, make_article):
    article = make_article(title="Old title")
    pages = ["/", "/articles/", article.get_absolute_url()]
    etag = client.get("/")["ETag"]
    for url in pages:
        assert "Old title" in client.get(url).content.decode()
    article.title = "New title"
    article.save()
    for url in pages:
        page = client.get(url).content.decode()
        assert "New title" in page
        assert "Old title" not in page
    assert client.get("/", headers={"if-none-match": etag}).status_code == 200


def test_publishing_unpublishing_and_deleting_show_at_once(client, make_article):
    draft = make_article(title="Draft on pacing", status=Article.Status.DRAFT)
    assert "Draft on pacing" not in client.get("/articles/").content.decode()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "Draft on pacing" in client.get("/articles/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200
    draft.status = Article.Status.DRAFT
    draft.save()
    assert "Draft on pacing" not in client.get("/articles/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    other = make_article(title="Soon deleted")
    assert "Soon deleted" in client.get("/").content.decode()
    other.delete()
    assert "Soon deleted" not in client.get("/").content.decode()


def test_a_scheduled_article_appears_in_cached_lists_when_its_time_comes(client, make_article):
    now = timezone.now()
    make_article(title="Scheduled piece", status=Article.Status.SCHEDULED, published_at=now + timedelta(hours=1))
    with freeze_time(now):
        assert "Scheduled piece" not in client.get("/articles/").content.decode()
    with freeze_time(now + timedelta(hours=2)):
        assert "Scheduled piece" in client.get("/articles/").content.decode()


def test_staff_with_a_session_bypass_the_page_cache(client, admin_user, make_article, settings):
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    make_article()
    client.get("/")
    client.force_login(admin_user)
    response = client.get("/")
    assert not response.has_header("ETag")


def test_a_page_that_shows_a_real_csrf_token_is_never_cached(rf):
    @page_cache.cached_page
    def view(request):
        return HttpResponse(f"token {get_token(request)}")

    first, second = view(rf.get("/x/")), view(rf.get("/x/"))
    assert first.content != second.content
    assert not first.has_header("ETag")


def test_each_visitor_gets_their_own_csp_nonce_in_a_cached_page(rf):
    @page_cache.cached_page
    def view(request):
        return HttpResponse(
            Template('<script nonce="{{ request.csp_nonce }}"></script>').render(RequestContext(request))
        )

    pages = []
    for nonce in ("nonce-one", "nonce-two"):
        request = rf.get("/y/")
        request.csp_nonce = nonce
        pages.append(view(request).content.decode())
    assert pages == ['<script nonce="nonce-one"></script>', '<script nonce="nonce-two"></script>']
