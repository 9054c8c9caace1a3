"""The one settings module: safe locally, strict in production."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "SECURE_SSL_REDIRECT"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_without_debug_the_site_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_in_a_bare_environment_every_command_names_the_missing_secret_key():
    # Only PATH and HOME, as on a new machine: Django's runner would otherwise hide the sentence.
    bare = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=bare,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Configuration error: SECRET_KEY is not set" in result.stderr
    assert "Models aren't loaded" not in result.stderr


# What a deployer sets (docs/operations.md, "Running it for real"): with these, check --deploy is silent.
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "clinic.example",
    "EMAIL_URL": "smtp+tls://website:app-password@smtp.riverside-clinic.org:587",
    "SITE_URL": "https://www.riverside-clinic.org",
    "DEFAULT_FROM_EMAIL": "Riverside Family Clinic <website@riverside-clinic.org>",
}


def test_production_configuration_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_a_missing_email_url_and_site_url_by_their_variables():
    unset = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"EMAIL_URL", "SITE_URL"}}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **unset)
    assert result.returncode != 0
    assert "(clinic.W001) EMAIL_URL is not set to a mail server" in result.stderr
    assert "(clinic.W002) SITE_URL is 'http://127.0.0.1:8000'" in result.stderr
    assert "identified 2 issues" in result.stderr


@pytest.mark.parametrize(
    ("debug", "expected"), [(None, "False"), ("0", "False"), ("1", "True")], ids=["unset", "0", "1"]
)
def test_a_server_shows_debug_pages_only_when_debug_is_set_to_1(debug, expected):
    # In a subprocess: pytest-django turns DEBUG off in the test process whatever the settings say.
    env = {"SECRET_KEY": "a-secret-key-for-this-test"} | ({"DEBUG": debug} if debug else {})
    result = manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_sqlite_is_configured_for_several_server_processes():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite settings apply to SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]


def test_a_malformed_rate_limit_setting_stops_start_up_with_a_clear_sentence():
    result = manage("check", DEBUG="1", APPOINTMENT_RATE_LIMIT="5 per minute")
    assert result.returncode != 0
    assert "APPOINTMENT_RATE_LIMIT '5 per minute' is not like 5/10m" in result.stderr


def test_each_setting_is_assigned_once():
    # A reader finds a setting's value where it is assigned; a second assignment further down would hide it.
    tree = ast.parse((ROOT / "clinic" / "settings.py").read_text(encoding="utf-8"))
    names = [
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id.isupper()
    ]
    assert sorted({name for name in names if names.count(name) > 1}) == []
