"""The admin lives at ADMIN_URL (default /admin/), and nothing public names it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "ADMIN_URL"}
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def admin_index(**env: str) -> str:
    result = run(**env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_admin_is_at_admin_by_default():
    assert admin_index() == "/admin/"


def test_the_admin_url_is_configurable():
    assert admin_index(ADMIN_URL="front-desk-7f3a/") == "/front-desk-7f3a/"
    assert admin_index(ADMIN_URL="/front-desk-7f3a") == "/front-desk-7f3a/"


def test_an_empty_admin_url_stops_start_up_with_a_clear_message():
    result = run(ADMIN_URL="/")
    assert result.returncode != 0
    assert "ADMIN_URL is empty" in result.stderr


@pytest.mark.django_db
def test_robots_txt_does_not_reveal_the_admin_path(client):
    assert "admin" not in client.get("/robots.txt").content.decode()


def test_the_tests_reach_admin_pages_by_name_never_by_path():
    # reverse("admin:…") (tests.helpers.admin_url) follows ADMIN_URL; a written path would not. Exempt: this
    # file (it checks the path itself) and the nginx test, whose servers bench/harness.py starts at /admin/.
    exempt = {"test_admin_url.py", "test_nginx_in_front.py"}
    written = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name not in exempt
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""["']/admin/""", line)
    ]
    assert written == []
