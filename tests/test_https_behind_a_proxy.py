"""Behind a TLS-terminating proxy (BEHIND_TLS_PROXY=1) the site trusts X-Forwarded-Proto; otherwise never."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
FORM_URL = "/appointments/request/"


@pytest.fixture
def production_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return settings


def proxy_header_setting(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "BEHIND_TLS_PROXY"}
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_the_proxy_header_is_trusted_only_when_the_setting_says_so():
    assert proxy_header_setting() == "None"
    assert proxy_header_setting(BEHIND_TLS_PROXY="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_behind_the_proxy_https_requests_get_hsts_and_secure_cookies(client, production_https):
    production_https.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(FORM_URL, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.cookies["csrftoken"]["secure"]


def test_behind_the_proxy_plain_http_is_redirected_to_https(client, production_https):
    production_https.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(FORM_URL, HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{FORM_URL}"


def test_without_the_setting_a_forged_forwarded_proto_is_ignored(client, production_https):
    production_https.SECURE_PROXY_SSL_HEADER = None
    response = client.get(FORM_URL, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in response


def test_a_load_balancer_probing_an_app_server_over_plain_http_gets_the_health_answer(client, production_https):
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
