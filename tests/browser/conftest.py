"""A real browser for the browser tests: Debian's Chromium driven by Playwright.

Locally, a missing Chromium, Playwright or axe-core skips these tests with the
reason (pytest's summary lists it); in CI (CI set) it fails them instead.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the browser fixture: skipped locally, failed in CI
    expect = sync_playwright = None

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTICLE_URL = "/articles/are-some-fibromyalgia-cases-autoimmune/"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (scripts/install-browser installs it)"
    if sync_playwright is None:
        return "Playwright for Python is not installed (make setup installs it)"
    if not AXE_SOURCE.exists():
        return f"no {AXE_SOURCE.relative_to(settings.BASE_DIR)} (make test runs npm ci)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run: {missing}; with CI set this fails rather than skips")
        pytest.skip(f"browser tests skipped: {missing}")

    # Playwright's sync API keeps an event loop running in this thread, which
    # Django's ORM takes for async code; the fixtures' ORM calls are plain sync.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def site(browser, live_server, transactional_db, settings) -> str:
    """The live site with the demo articles; cookies work over plain http."""
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    settings.APPOINTMENT_RATE_LIMIT = "100/m"
    call_command("load_demo_content", verbosity=0)
    return live_server.url


class Visit:
    """One browser tab on the live site, recording every request and console error."""

    def __init__(self, browser, base_url: str, **context_options):
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **context_options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(5000)
        self.requests: list = []
        self.console_errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request))
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))

    def posts(self) -> list:
        return [request for request in self.requests if request.method == "POST"]

    def foreign_requests(self) -> list[str]:
        ours = urlsplit(self.base_url).netloc
        return [r.url for r in self.requests if urlsplit(r.url).scheme != "data" and urlsplit(r.url).netloc != ours]

    def csp_violations(self) -> list[str]:
        return [text for text in self.console_errors if "Content Security Policy" in text]


@pytest.fixture
def visit(browser, site) -> Iterator:
    """A fresh tab (empty localStorage) per test; contexts made inside the test are closed too."""
    visits: list[Visit] = []

    def open_visit(**context_options) -> Visit:
        visits.append(Visit(browser, site, **context_options))
        return visits[-1]

    yield open_visit
    for each in visits:
        assert each.foreign_requests() == [], "a page asked a third-party host for something"
        assert each.csp_violations() == []
        each.context.close()
