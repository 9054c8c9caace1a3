"""Every page type, as a patient sees it in English and in Spanish, passes axe-core (WCAG 2.2 A/AA and
best practice) and reflows at 320 px."""

import pytest

from .conftest import ARTICLE_URLS, AXE_SOURCE, LANGUAGE_IDS, LANGUAGES, WORDS, fill_valid, in_language

FORM_URL = "/appointments/request/"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGE_TYPES = [
    "home",
    "article list",
    "search results",
    "category",
    "tag",
    "article",
    "form",
    "form with server errors",
    "form with server errors, scripts off",
    "form with script errors",
    "thanks",
    "privacy",
    "accessibility help",
    "not found",
    "menu open",
]
PLAIN_URLS = {
    "home": "/",
    "article list": "/articles/",
    "category": "/articles/category/chronic-pain/",
    "tag": "/articles/tag/fibromyalgia/",
    "form": FORM_URL,
    "privacy": "/privacy/",
    "accessibility help": "/accessibility/",
    "not found": "/no-such-page/",
}
SEARCH_WORD = {"en": "fibromyalgia", "es": "fibromialgia"}


def open_page(page, kind: str, language: str) -> None:
    words = WORDS[language]
    article_url = ARTICLE_URLS[language]
    form_url = in_language(language, FORM_URL)
    if kind in PLAIN_URLS:
        page.goto(in_language(language, PLAIN_URLS[kind]))
    elif kind == "article":
        page.goto(article_url)
    elif kind == "search results":
        page.goto(in_language(language, f"/articles/?q={SEARCH_WORD[language]}"))
        assert page.locator(".article-card").count() >= 1, "the search found no article"
    elif kind == "form with server errors":
        # form.submit() skips the script's check: the errors on screen are the server's.
        page.goto(form_url)
        page.get_by_label(words["phone"]).fill("555-123-4567")
        with page.expect_navigation():
            page.locator("#appointment-form").evaluate("form => form.submit()")
        assert page.locator("#id_phone_error").count() == 1
    elif kind == "form with server errors, scripts off":
        # Our deferred scripts never arrive: the page as a reader without JavaScript gets it.
        page.route("**/static/js/*.js", lambda route: route.abort())
        page.goto(form_url)
        page.get_by_role("button", name=words["send"]).click()
        page.wait_for_load_state()
        assert page.locator("#error-summary").count() == 1
        assert page.get_by_role("link", name=words["open menu"]).is_visible()
    elif kind == "form with script errors":
        page.goto(article_url)
        page.get_by_label(words["email"]).fill("maria@")
        page.get_by_role("button", name=words["send"]).click()
        assert page.locator("#error-summary").count() == 1
    elif kind == "thanks":
        page.goto(form_url)
        fill_valid(page, language)
        page.get_by_role("button", name=words["send"]).click()
        page.wait_for_url(f"**{in_language(language, '/appointments/thanks/')}")
    elif kind == "menu open":
        page.goto(article_url)
        page.get_by_role("button", name=words["open menu"]).click()
        page.get_by_role("button", name=words["larger"]).click()
    else:
        raise AssertionError(kind)
    assert page.evaluate("document.documentElement.lang") == language


def axe_violations(page) -> list[str]:
    """What axe finds, plus any contrast it could not judge for a reason other than an empty field or an image."""
    # Colours are checked once Bootstrap's colour transitions have finished.
    # (A cancelled transition rejects its promise: that is finished too.)
    page.evaluate("Promise.all(document.getAnimations().map(animation => animation.finished.catch(() => null)))")
    page.evaluate(AXE_SOURCE.read_text() + "\n;0")
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(results => [
            ...results.violations.map(v => `${v.impact} ${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`),
            ...results.incomplete.filter(rule => rule.id === 'color-contrast').flatMap(rule => rule.nodes)
                .map(node => `unjudged contrast ${node.target.join(' ')}: ${node.any.map(c => c.message).join(' ')}`)
                .filter(text => !/has no value|background image/.test(text)),
        ])""",
        AXE_TAGS,
    )


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("language", LANGUAGES, ids=LANGUAGE_IDS)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_nothing_in_either_colour_scheme_and_nothing_scrolls_sideways_at_320_px(visit, kind, language):
    tab = visit()
    page = tab.page
    open_page(page, kind, language)
    assert axe_violations(page) == []

    # High contrast, switched on the way a reader does it (or, with the
    # scripts off, the way base.html's inline script applies a saved choice).
    menu = page.get_by_role("button", name=WORDS[language]["open menu"])
    if not menu.is_visible():
        page.evaluate("document.documentElement.setAttribute('data-a11y-contrast', 'on')")
        page.evaluate("document.documentElement.setAttribute('data-bs-theme', 'dark')")
    else:
        if menu.get_attribute("aria-expanded") == "false":
            menu.click()
        page.get_by_role("button", name=WORDS[language]["high contrast"]).click()
        if kind != "menu open":
            page.keyboard.press("Escape")
        page.mouse.move(0, 0)  # nothing left hovered: axe sees the resting colours
    assert page.evaluate("document.documentElement.getAttribute('data-a11y-contrast')") == "on"
    assert axe_violations(page) == []

    # 320 CSS px wide: a 1280 px window at 400% zoom (and so 200% zoom of a 640 px one).
    page.set_viewport_size({"width": 320, "height": 640})
    assert not scrolls_sideways(page)
    # The worst case: the largest text with every other reading aid on as well.
    page.evaluate(
        "for (const [k, v] of Object.entries({text: '3', spacing: 'on', font: 'on', underline: 'on'}))"
        " document.documentElement.setAttribute('data-a11y-' + k, v)"
    )
    assert not scrolls_sideways(page)
