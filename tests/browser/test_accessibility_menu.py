"""A reader with low vision or brain fog uses the accessibility menu, keyboard only."""

import re

import pytest

from .conftest import ARTICLE_URL, expect

MENU = "Open Accessibility Menu"
READING_AIDS = {
    "High contrast": "contrast",
    "Underline links": "underline",
    "Readable font": "font",
    "More line spacing": "spacing",
    "Pause animations": "motion",
}


def tab_to(page, name: str, limit: int = 15) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def html_attribute(page, name: str):
    return page.evaluate("name => document.documentElement.getAttribute(name)", name)


def test_the_menu_is_a_real_button_that_opens_and_closes_with_the_keyboard(visit):
    page = visit().page
    page.goto(ARTICLE_URL)
    button = page.get_by_role("button", name=MENU)
    assert button.get_attribute("aria-expanded") == "false"
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    assert page.get_by_role("link", name=MENU).count() == 0

    tab_to(page, MENU)
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#a11y-panel").is_visible()
    assert page.evaluate("document.getElementById('a11y-panel').contains(document.activeElement)")

    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#a11y-panel").is_visible()
    assert page.evaluate("document.activeElement.id") == "a11y-menu-button"

    page.keyboard.press("Enter")
    tab_to(page, "Close accessibility menu")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "a11y-menu-button"


@pytest.mark.parametrize(("label", "option"), READING_AIDS.items())
def test_each_reading_aid_applies_at_once_is_announced_and_survives_a_reload(visit, label, option):
    page = visit().page
    page.goto("/")
    page.get_by_role("button", name=MENU).click()
    toggle = page.get_by_role("button", name=label)
    toggle.focus()
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert html_attribute(page, f"data-a11y-{option}") == "on"
    expect(page.locator("#a11y-status")).to_have_text(f"{label}: on")

    # The saved choice is applied by the inline script in <head>, before first
    # paint: it holds even when the deferred menu script never arrives.
    page.route("**/a11y-menu.js", lambda route: route.abort())
    page.goto(ARTICLE_URL)
    assert html_attribute(page, f"data-a11y-{option}") == "on"
    page.unroute("**/a11y-menu.js")

    page.reload()
    page.get_by_role("button", name=MENU).click()
    toggle = page.get_by_role("button", name=label)
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert html_attribute(page, f"data-a11y-{option}") is None
    expect(page.locator("#a11y-status")).to_have_text(f"{label}: off")


def test_high_contrast_and_readable_font_change_what_the_reader_sees(visit):
    page = visit().page
    page.goto("/")
    look = "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).fontFamily]"
    before = page.evaluate(look)
    page.get_by_role("button", name=MENU).click()
    page.get_by_role("button", name="High contrast").click()
    page.get_by_role("button", name="Readable font").click()
    page.get_by_role("button", name="More line spacing").click()
    background, font = page.evaluate(look)
    assert [background, font] != before
    assert background == "rgb(0, 0, 0)"
    assert font.startswith("Verdana")
    style = "([selector, property]) => getComputedStyle(document.querySelector(selector))[property]"
    assert page.evaluate(style, [".site-name", "textDecorationLine"]) == "none"
    assert page.evaluate(style, [".btn", "transitionDuration"]) != "0s"
    page.get_by_role("button", name="Underline links").click()
    page.get_by_role("button", name="Pause animations").click()
    assert page.evaluate(style, [".site-name", "textDecorationLine"]) == "underline"
    assert page.evaluate(style, [".btn", "transitionDuration"]) == "0s"
    assert page.evaluate(style, ["html", "scrollBehavior"]) == "auto"
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).lineHeight)")
    font_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert line_height >= 2 * font_size - 0.5


def test_text_grows_in_three_steps_and_reset_brings_everything_back(visit):
    page = visit().page
    page.goto(ARTICLE_URL)
    size = "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
    sizes = [page.evaluate(size)]
    page.get_by_role("button", name=MENU).click()
    for step in ("Large", "Larger", "Largest"):
        page.get_by_role("button", name=step, exact=True).click()
        assert page.get_by_role("button", name=step, exact=True).get_attribute("aria-pressed") == "true"
        sizes.append(page.evaluate(size))
    assert sizes == sorted(sizes) and len(set(sizes)) == 4
    assert page.get_by_role("button", name="Standard").get_attribute("aria-pressed") == "false"
    expect(page.locator("#a11y-status")).to_have_text("Text size: Largest")

    page.get_by_role("button", name="Underline links").click()
    page.get_by_role("button", name="Reset all settings").click()
    assert page.evaluate(size) == sizes[0]
    assert page.get_by_role("button", name="Standard").get_attribute("aria-pressed") == "true"
    attributes = page.evaluate("Array.from(document.documentElement.attributes, a => a.name).join(' ')")
    assert not re.search(r"data-a11y-|data-bs-theme", attributes)
    page.reload()
    assert page.evaluate("localStorage.getItem('clinic-a11y')") == "{}"


def test_without_javascript_the_menu_is_a_link_to_the_help_page(visit):
    page = visit(java_script_enabled=False).page
    page.goto("/")
    assert page.get_by_role("button", name=MENU).count() == 0
    page.get_by_role("link", name=MENU).click()
    page.wait_for_url("**/accessibility/")
    assert page.get_by_role("heading", level=1).text_content() == "Accessibility"
