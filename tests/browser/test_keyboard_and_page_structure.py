"""A keyboard-only reader finds the same structure on every page, in English and in Spanish: skip link,
landmarks, one h1, visible focus, and a link to the same page in the other language."""

import pytest

from .conftest import ARTICLE_URL, LANGUAGE_IDS, LANGUAGES, SPANISH_ARTICLE_URL, WORDS

PAGES = {
    "en": {
        "/": "Home",
        "/articles/": "Health articles",
        ARTICLE_URL: "Are Some Fibromyalgia Cases Autoimmune?",
        "/appointments/request/": "Request an appointment",
        "/privacy/": "Privacy notice",
        "/accessibility/": "Accessibility",
    },
    "es": {
        "/es/": "Inicio",
        "/es/articles/": "Artículos de salud",
        SPANISH_ARTICLE_URL: "¿Algunos casos de fibromialgia son autoinmunes?",
        "/es/appointments/request/": "Pedir una cita",
        "/es/privacy/": "Aviso de privacidad",
        "/es/accessibility/": "Accesibilidad",
    },
}
# Each English page beside the same page in Spanish: an article's is its translation.
COUNTERPARTS = [
    ("/", "/es/"),
    ("/articles/", "/es/articles/"),
    ("/articles/?q=fibromyalgia", "/es/articles/?q=fibromyalgia"),
    ("/articles/category/chronic-pain/", "/es/articles/category/chronic-pain/"),
    ("/articles/tag/fibromyalgia/", "/es/articles/tag/fibromyalgia/"),
    (ARTICLE_URL, SPANISH_ARTICLE_URL),
    ("/appointments/request/", "/es/appointments/request/"),
    ("/privacy/", "/es/privacy/"),
    ("/accessibility/", "/es/accessibility/"),
]


@pytest.mark.parametrize("language", LANGUAGES, ids=LANGUAGE_IDS)
@pytest.mark.parametrize("contrast", [False, True], ids=["standard", "high contrast"])
def test_every_page_has_a_skip_link_landmarks_one_h1_a_language_and_a_title_that_says_where(visit, contrast, language):
    tab = visit()
    page = tab.page
    if contrast:
        tab.context.add_init_script("localStorage.setItem('clinic-a11y', JSON.stringify({contrast: 'on'}))")
    titles = set()
    for url, where in PAGES[language].items():
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == language
        assert page.title().startswith(where), url
        titles.add(page.title())
        assert page.locator("h1").count() == 1, url
        for role in ("banner", "navigation", "main", "contentinfo"):
            assert page.get_by_role(role).count() >= 1, (url, role)

        skip = page.get_by_role("link", name=WORDS[language]["skip link"])
        assert not skip.evaluate("link => link.getBoundingClientRect().bottom > 0")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == WORDS[language]["skip link"]
        assert skip.evaluate("link => link.getBoundingClientRect().top >= 0")
        assert_focus_is_visible(page)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")
        assert_focus_is_visible(page)
    assert len(titles) == len(PAGES[language])


@pytest.mark.parametrize("language", LANGUAGES, ids=LANGUAGE_IDS)
def test_a_keyboard_user_tabs_to_the_other_language_and_lands_on_the_same_page_in_it(visit, language):
    tab = visit()
    page = tab.page
    other = "es" if language == "en" else "en"
    for english, spanish in COUNTERPARTS:
        here, there = (english, spanish) if language == "en" else (spanish, english)
        page.goto(here)
        tab_to_the_language_link(page)
        assert page.evaluate("document.activeElement.textContent.trim()") == WORDS[language]["other language"]
        # Named in its own language, so a screen reader says "Español" the Spanish way.
        assert page.evaluate("[document.activeElement.lang, document.activeElement.hreflang]") == [other, other]
        assert_focus_is_visible(page)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == tab.base_url + there, here
        assert page.evaluate("document.documentElement.lang") == other
        assert page.locator("h1").count() == 1


def test_an_article_not_yet_in_spanish_leads_to_the_spanish_home_page(visit):
    tab = visit()
    page = tab.page
    page.goto("/articles/pacing-your-energy-with-chronic-pain/")
    tab_to_the_language_link(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == tab.base_url + "/es/"
    assert page.evaluate("document.documentElement.lang") == "es"


def tab_to_the_language_link(page) -> None:
    """From the top of the page: the skip link, the clinic's name, then the language link, a few Tabs in."""
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('language-link')"):
            return
    raise AssertionError("the language link cannot be reached with Tab from the top of the page")


def assert_focus_is_visible(page) -> None:
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; })()"
    )
    style, width, shadow = outline
    assert (style != "none" and width >= 2) or shadow != "none", outline


def test_the_menu_button_and_form_fields_show_where_the_focus_is(visit):
    page = visit().page
    page.goto(ARTICLE_URL)
    page.get_by_role("button", name="Open Accessibility Menu").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert_focus_is_visible(page)
    page.get_by_label("First Name").focus()
    assert_focus_is_visible(page)
    page.get_by_role("button", name="Send My Request").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert_focus_is_visible(page)
