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

from appointments.forms import MESSAGES as FORM_MESSAGES

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the browser fixture: skipped locally, failed in CI
    expect = sync_playwright = None

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTICLE_URL = "/articles/are-some-fibromyalgia-cases-autoimmune/"
SPANISH_ARTICLE_URL = "/es/articles/algunos-casos-de-fibromialgia-son-autoinmunes/"

# The site in each language it speaks (SPEC.md, "Spanish"): where a page is, and the words a patient
# reads and clicks there, verbatim. A test parametrized over LANGUAGES reads its words from here.
LANGUAGES = ["en", "es"]
LANGUAGE_IDS = ["English", "Spanish"]
PREFIX = {"en": "", "es": "/es"}
ARTICLE_URLS = {"en": ARTICLE_URL, "es": SPANISH_ARTICLE_URL}
WORDS = {
    "en": {
        "send": "Send My Request",
        "open menu": "Open Accessibility Menu",
        "high contrast": "High contrast",
        "larger": "Larger",
        "first name": "First Name",
        "last name": "Last Name",
        "phone": "Phone",
        "email": "Email",
        "new patient": "Are you a new patient?",
        "preferred day": "Preferred Day",
        "preferred time": "Preferred Time",
        "problem": "There is a problem",
        "thanks": "Thank you: we have received your request",
        "skip link": "Skip to main content",
        "other language": "Español",
    },
    "es": {
        "send": "Enviar mi solicitud",
        "open menu": "Abrir el menú de accesibilidad",
        "high contrast": "Alto contraste",
        "larger": "Más grande",
        "first name": "Nombre",
        "last name": "Apellido",
        "phone": "Teléfono",
        "email": "Correo electrónico",
        "new patient": "¿Es paciente nuevo?",
        "preferred day": "Día preferido",
        "preferred time": "Hora preferida",
        "problem": "Hay un problema",
        "thanks": "Gracias: recibimos su solicitud",
        "skip link": "Saltar al contenido principal",
        "other language": "English",
    },
}

# The form's messages: English as the form declares them; Spanish verbatim from SPEC.md, so a wrong
# translation fails the tests.
MESSAGES = {
    "en": {key: str(message) for key, message in FORM_MESSAGES.items()},
    "es": {
        "first_name_required": "Por favor, escriba su nombre.",
        "last_name_required": "Por favor, escriba su apellido.",
        "phone_required": "Por favor, escriba su número de teléfono.",
        "phone_not_a_number": "Este no es un número de teléfono válido.",
        "phone_invalid": "El número que escribió no es válido.",
        "email_required": "Por favor, escriba su correo electrónico.",
        "email_invalid": "Esta no es una dirección de correo electrónico válida.",
        "selection_required": "Por favor, elija una opción.",
    },
}


def fill_valid(page, language: str = "en") -> None:
    """A patient fills the whole form correctly, reading the labels in `language`."""
    words = WORDS[language]
    page.get_by_label(words["first name"]).fill("Maria")
    page.get_by_label(words["last name"]).fill("Gonzalez")
    page.get_by_label(words["phone"]).fill("(202) 555-0143")
    page.get_by_label(words["email"]).fill("maria.gonzalez@example.com")
    page.get_by_label(words["new patient"]).select_option("yes")
    page.get_by_label(words["preferred day"]).select_option("tuesday")
    page.get_by_label(words["preferred time"]).select_option("morning")


def in_language(language: str, path: str) -> str:
    """The page at `path` (an English path) in `language`."""
    return PREFIX[language] + path


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
