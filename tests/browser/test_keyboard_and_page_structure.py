"""A keyboard-only reader finds the same structure on every page: skip link, landmarks, one h1, visible focus."""

import pytest

from .conftest import ARTICLE_URL

PAGES = {
    "/": "Home",
    "/articles/": "Health articles",
    ARTICLE_URL: "Are Some Fibromyalgia Cases Autoimmune?",
    "/appointments/request/": "Request an appointment",
    "/privacy/": "Privacy notice",
    "/accessibility/": "Accessibility",
}


@pytest.mark.parametrize("contrast", [False, True], ids=["standard", "high contrast"])
def test_every_page_has_a_skip_link_landmarks_one_h1_a_language_and_a_title_that_says_where(visit, contrast):
    tab = visit()
    page = tab.page
    if contrast:
        tab.context.add_init_script("localStorage.setItem('clinic-a11y', JSON.stringify({contrast: 'on'}))")
    titles = set()
    for url, where in PAGES.items():
        page.goto(url)
        assert page.evaluate("document.documentElement.lang").startswith("en")
        assert page.title().startswith(where), url
        titles.add(page.title())
        assert page.locator("h1").count() == 1, url
        for role in ("banner", "navigation", "main", "contentinfo"):
            assert page.get_by_role(role).count() >= 1, (url, role)

        skip = page.get_by_role("link", name="Skip to main content")
        assert not skip.evaluate("link => link.getBoundingClientRect().bottom > 0")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
        assert skip.evaluate("link => link.getBoundingClientRect().top >= 0")
        assert_focus_is_visible(page)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")
        assert_focus_is_visible(page)
    assert len(titles) == len(PAGES)


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
