"""While the database is down, patients get a friendly 503 with the clinic's phone; then the site recovers by itself."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from appointments.models import AppointmentRequest
from pages.views import server_error

pytestmark = pytest.mark.django_db

FORM_URL = "/appointments/request/"


@pytest.fixture
def outage(monkeypatch):
    """Every query fails as it does when PostgreSQL is stopped; leave the `with` block and it is back."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    @contextmanager
    def down():
        with monkeypatch.context() as patch:
            patch.setattr(CursorWrapper, "execute", refuse)
            patch.setattr(CursorWrapper, "executemany", refuse)
            yield

    return down


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False)


def assert_friendly_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Our website is briefly unavailable" in html
    assert settings.CLINIC["PHONE"] in html
    assert "Traceback" not in html
    assert "Connection refused" not in html


@pytest.mark.parametrize("url", ["/", "/articles/", "/articles/some-article/", "/articles/feed/", "/sitemap.xml"])
def test_every_page_answers_a_friendly_503_while_the_database_is_down(browser, outage, make_article, url):
    make_article(slug="some-article")
    with outage():
        assert_friendly_503(browser.get(url))
    assert browser.get(url).status_code == 200


def test_the_admin_answers_503_too(browser, outage, admin_user):
    browser.force_login(admin_user)
    with outage():
        assert_friendly_503(browser.get(reverse("admin:index")))
        assert_friendly_503(browser.post(reverse("admin:login"), {"username": "admin", "password": "password"}))
    assert browser.get(reverse("admin:index")).status_code == 200


def test_the_load_balancer_sees_healthz_fail_while_the_database_is_down_and_pass_once_it_is_back(browser, outage):
    with outage():
        response = browser.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unavailable"}
    response = browser.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == response.json()["database"] == "ok"


def test_a_request_sent_during_the_outage_is_not_stored_and_resending_it_stores_it_once(browser, outage, valid_data):
    with outage():
        assert_friendly_503(browser.post(FORM_URL, valid_data))
    assert AppointmentRequest.objects.count() == 0
    assert browser.post(FORM_URL, valid_data).status_code == 302
    assert browser.post(FORM_URL, valid_data).status_code == 302
    assert AppointmentRequest.objects.count() == 1


def test_a_lost_connection_is_a_503_too(browser, monkeypatch):
    def closed(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(CursorWrapper, "execute", closed)
    assert_friendly_503(browser.get("/articles/"))


def test_a_database_error_outside_a_view_is_a_503_not_a_500(rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert_friendly_503(response)


def test_other_errors_are_still_a_500_with_the_clinic_phone(browser, monkeypatch):
    monkeypatch.setattr("articles.views.Article.objects.published", lambda: 1 / 0)
    response = browser.get("/articles/")
    assert response.status_code == 500
    assert settings.CLINIC["PHONE"] in response.content.decode()


@pytest.mark.parametrize(
    "message",
    [
        "no such table: clinic_cache",
        "no such column: articles_article.extras",
        "table appointments_appointmentrequest has no column named language",
    ],
)
def test_a_database_that_was_not_migrated_is_a_500_not_the_send_it_again_page(rf, message):
    # SQLite raises OperationalError for these too, but sending again in a few minutes would not help.
    try:
        raise OperationalError(message)
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "briefly unavailable" not in response.content.decode()


def test_a_missing_table_on_a_page_is_a_500_with_the_clinic_phone(browser):
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("ALTER TABLE articles_article RENAME TO articles_article_away")
    response = browser.get("/articles/")
    assert response.status_code == 500
    assert settings.CLINIC["PHONE"] in response.content.decode()
