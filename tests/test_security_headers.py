"""Every response a browser can get from the site carries the security headers."""

import base64
import hashlib
import re
import uuid

import pytest
from csp.utils import build_policy
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse, reverse_lazy

from clinic.middleware import SitePolicyCSPMiddleware

pytestmark = pytest.mark.django_db

FORM_URL = "/appointments/request/"


class HttpsClient(Client):
    def generic(self, *args, **kwargs):
        return super().generic(*args, **{**kwargs, "secure": True})


@pytest.fixture
def https_client(settings) -> Client:
    """A client on HTTPS (as behind the production proxy), which also serves static files from the finders."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return HttpsClient(raise_request_exception=False)


def assert_secure_headers(response) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, csp
    assert "unsafe-inline" not in csp
    assert re.search(r"(default-src|script-src) [^;]*('none'|'self')", csp), csp
    assert headers.get("Strict-Transport-Security", "").startswith("max-age=31536000")
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"
    assert "camera=()" in headers.get("Permissions-Policy", "")
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/articles/?q=%3Cscript%3E",
        "/articles/feed/",
        "/privacy/",
        FORM_URL,
        "/appointments/thanks/",
        "/healthz",
        "/robots.txt",
        "/sitemap.xml",
        pytest.param(reverse_lazy("admin:login"), id="admin-login"),
        pytest.param(reverse_lazy("admin:index"), id="admin-index"),  # redirect to the login page
        "/articles",  # redirect to add the slash
        "/no-such-page/",
        "/static/css/site.css",
        "/static/vendor/bootstrap/bootstrap.subset.min.css",
    ],
)
def test_every_page_redirect_error_and_static_file_has_the_security_headers(https_client, url):
    response = https_client.get(url)
    assert response.status_code in {200, 301, 302, 404}
    assert_secure_headers(response)


def test_the_thank_you_redirect_and_the_429_page_have_the_security_headers(https_client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "1/10m"
    redirect = https_client.post(FORM_URL, valid_data)
    assert redirect.status_code == 302
    assert_secure_headers(redirect)
    too_many = https_client.post(FORM_URL, {**valid_data, "form_token": str(uuid.uuid4())})
    assert too_many.status_code == 429
    assert_secure_headers(too_many)


def test_an_invalid_form_has_the_security_headers(https_client):
    response = https_client.post(FORM_URL, {"first_name": "<b>"})
    assert response.status_code == 200
    assert_secure_headers(response)


def test_the_503_and_500_pages_have_the_security_headers(https_client, monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("articles.views.Article.objects.published", database_down)
    assert_secure_headers(https_client.get("/articles/"))

    monkeypatch.setattr("articles.views.Article.objects.published", lambda: 1 / 0)
    broken = https_client.get("/articles/")
    assert broken.status_code == 500
    assert_secure_headers(broken)


def test_pages_allow_no_inline_script_without_the_nonce(https_client, admin_user):
    """Admin included: its pages must work under script-src 'self' + nonce + our one hashed script."""
    https_client.force_login(admin_user)
    admin_pages = ["admin:index", "admin:appointments_appointmentrequest_changelist", "admin:articles_article_add"]
    for url in ["/", FORM_URL, *map(reverse, admin_pages)]:
        response = https_client.get(url)
        assert response.status_code == 200, url
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        html = response.content.decode()
        hashes = set(re.findall(r"'sha256-([^']+)'", response["Content-Security-Policy"]))
        for tag, body in re.findall(r"(<script\b[^>]*>)(.*?)</script>", html, re.S):
            allowed_by_hash = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() in hashes
            assert "src=" in tag or allowed_by_hash or (nonce and f'nonce="{nonce.group(1)}"' in tag), (url, tag)
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url  # no inline event handlers either
        assert "javascript:" not in html, url


def test_production_cookies_are_secure_httponly_and_samesite(https_client, valid_data):
    https_client.get(FORM_URL)
    csrf = https_client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = https_client.post(FORM_URL, valid_data)
    thanks = response.cookies["appointment_ref"]
    assert thanks["secure"] and thanks["httponly"] and thanks["samesite"] == "Lax"


def test_the_admin_session_cookie_is_secure_httponly_and_samesite(https_client, admin_user):
    response = https_client.post(
        reverse("admin:login"),
        {"username": admin_user.username, "password": "password", "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_the_redirect_from_http_to_https_has_the_security_headers(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(FORM_URL)
    assert response.status_code == 301 and response["Location"] == f"https://testserver{FORM_URL}"
    headers = response.headers
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", "")
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"
    assert "camera=()" in headers.get("Permissions-Policy", "")


@pytest.mark.parametrize("secure", [False, True])
def test_a_host_we_do_not_serve_gets_a_plain_400_with_the_security_headers(settings, secure):
    settings.SECURE_SSL_REDIRECT = True  # over plain HTTP the redirect asks for the host first
    response = Client(raise_request_exception=False).get(FORM_URL, HTTP_HOST="evil.example", secure=secure)
    assert response.status_code == 400
    assert "This request could not be read" in response.content.decode()
    if secure:
        assert_secure_headers(response)
    else:
        assert response.headers.get("X-Frame-Options") == "DENY"
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", "")


def test_each_response_gets_django_csp_s_policy_with_its_own_nonce(rf, client, settings):
    """The policy is written once per process (clinic.middleware.SitePolicyCSPMiddleware): each answer still
    carries exactly what django-csp would write, with that answer's own nonce, and a new setting shows."""
    middleware = SitePolicyCSPMiddleware(lambda request: HttpResponse(str(request.csp_nonce)))
    answers = [middleware(rf.get("/")) for _visit in range(2)]
    for answer in answers:
        assert answer["Content-Security-Policy"] == build_policy(nonce=answer.content.decode())
    assert answers[0].content != answers[1].content
    assert client.get("/")["Content-Security-Policy"] == build_policy()  # no nonce asked for: none given
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "img-src": ["'self'"]}}
    assert "img-src 'self'" in client.get("/")["Content-Security-Policy"].split("; ")
