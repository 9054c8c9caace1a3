"""The admin lives at ADMIN_URL (default /admin/), and nothing public names it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def admin_index(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "ADMIN_URL"}
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_the_admin_is_at_admin_by_default():
    assert admin_index() == "/admin/"


def test_the_admin_url_is_configurable():
    assert admin_index(ADMIN_URL="front-desk-7f3a/") == "/front-desk-7f3a/"
    assert admin_index(ADMIN_URL="/front-desk-7f3a") == "/front-desk-7f3a/"


@pytest.mark.django_db
def test_robots_txt_does_not_reveal_the_admin_path(client):
    assert "admin" not in client.get("/robots.txt").content.decode()
