"""What every page sends for the accessibility menu and the form script, checked without a browser.

The browser tests (tests/browser/) prove the behaviour; these keep the
contract in place where Chromium is missing and those tests are skipped.
"""

import base64
import hashlib
import re

import pytest

FORM_URL = "/appointments/request/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/articles/", FORM_URL, "/privacy/", "/accessibility/", "/no-such-page/"])
def test_every_page_applies_saved_choices_before_first_paint_allowed_by_its_csp_hash(client, url):
    response = client.get(url)
    page = response.content.decode()
    allowed = set(re.findall(r"'sha256-([^']+)'", response.headers["Content-Security-Policy"]))
    head = page[: page.index("</head>")]
    inline = re.findall(r"<script>([^<]*localStorage[^<]*)</script>", head)
    assert len(inline) == 1
    assert base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode() in allowed
    for script in ("js/a11y-menu.js", "js/form-validation.js"):
        assert re.search(rf'<script src="/static/{script}" defer></script>', head)


@pytest.mark.django_db
def test_without_javascript_the_menu_is_a_link_to_the_help_page_and_the_button_waits_hidden(client):
    page = client.get("/").content.decode()
    link = re.search(r'<a class="a11y-menu-link" id="a11y-menu-link" href="([^"]+)">Open Accessibility Menu</a>', page)
    assert link.group(1) == "/accessibility/"
    button = re.search(r"<button[^>]*id=\"a11y-menu-button\"[^>]*>Open Accessibility Menu</button>", page).group(0)
    assert 'aria-expanded="false"' in button
    assert 'aria-controls="a11y-panel"' in button
    assert " hidden" in button
    assert re.search(r'<div class="a11y-panel" id="a11y-panel" hidden', page)


@pytest.mark.django_db
def test_the_form_gives_the_script_the_servers_words(client):
    page = client.get(FORM_URL).content.decode()
    form = re.search(r"<form [^>]*id=\"appointment-form\"[^>]*>", page).group(0)
    assert 'data-error-prefix="Error:"' in form
    assert 'data-summary-title="There is a problem"' in form
    assert "novalidate" in form
