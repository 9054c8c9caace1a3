"""A patient fills in the appointment form in a real browser, in English and in Spanish, JavaScript on and off."""

import re

import pytest

from appointments.forms import AppointmentRequestForm
from appointments.models import AppointmentRequest

from .conftest import ARTICLE_URLS, LANGUAGE_IDS, LANGUAGES, MESSAGES, WORDS, expect, fill_valid, in_language

FORM_URL = "/appointments/request/"
THANKS_URL = "/appointments/thanks/"
REQUIRED = {
    language: {
        "first_name": says["first_name_required"],
        "last_name": says["last_name_required"],
        "phone": says["phone_required"],
        "email": says["email_required"],
        "new_patient": says["selection_required"],
        "preferred_day": says["selection_required"],
        "preferred_time": says["selection_required"],
    }
    for language, says in MESSAGES.items()
}
by_language = pytest.mark.parametrize("language", LANGUAGES, ids=LANGUAGE_IDS)


def inline_error(page, name: str):
    """The field's message as a screen reader gets it: via aria-describedby, with its "Error:" prefix."""
    field = page.locator(f"#id_{name}")
    assert field.get_attribute("aria-invalid") == "true"
    assert "is-invalid" in field.get_attribute("class")
    assert f"id_{name}_error" in field.get_attribute("aria-describedby").split()
    box = page.locator(f"#id_{name}_error")
    assert box.locator(".visually-hidden").text_content() == "Error: "
    return " ".join(box.text_content().split()).removeprefix("Error: ")


@by_language
@pytest.mark.parametrize("where", ["form page", "article page"])
def test_an_empty_submit_shows_every_message_before_any_request_is_sent(visit, where, language):
    tab = visit()
    page = tab.page
    page.goto(in_language(language, FORM_URL) if where == "form page" else ARTICLE_URLS[language])
    page.get_by_role("button", name=WORDS[language]["send"]).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert summary.get_by_role("heading").text_content() == WORDS[language]["problem"]
    assert summary.get_by_role("link").all_text_contents() == list(REQUIRED[language].values())
    for name, message in REQUIRED[language].items():
        assert inline_error(page, name) == message
    assert page.title().startswith("Error: ")
    assert tab.posts() == []


@by_language
def test_the_summary_links_to_each_field_and_a_corrected_field_clears_its_message(visit, language):
    tab = visit()
    page = tab.page
    words, says = WORDS[language], MESSAGES[language]
    page.goto(in_language(language, FORM_URL))
    page.get_by_label(words["phone"]).fill("12")
    page.get_by_role("button", name=words["send"]).click()
    assert inline_error(page, "phone") == says["phone_not_a_number"]

    page.locator("#error-summary").get_by_role("link", name=says["phone_not_a_number"]).click()
    expect(page.get_by_label(words["phone"])).to_be_focused()
    page.keyboard.type("02 555 0143")
    expect(page.locator("#id_phone_error")).to_have_count(0)
    phone = page.get_by_label(words["phone"])
    assert phone.get_attribute("aria-invalid") is None
    assert "is-invalid" not in phone.get_attribute("class")
    assert page.locator("#error-summary").get_by_role("link", name=says["phone_not_a_number"]).count() == 0

    # Back to empty: the re-check shows the required message again.
    phone.fill("")
    assert inline_error(page, "phone") == says["phone_required"]

    fill_valid(page, language)
    page.get_by_label(words["email"]).fill("maria@")
    page.get_by_role("button", name=words["send"]).click()
    assert inline_error(page, "email") == says["email_invalid"]
    assert page.locator("#error-summary").get_by_role("link").all_text_contents() == [says["email_invalid"]]
    assert tab.posts() == []

    page.get_by_label(words["email"]).fill("maria.gonzalez@example.com")
    expect(page.locator("#error-summary")).to_have_count(0)
    assert not page.title().startswith("Error: ")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(f"**{in_language(language, THANKS_URL)}")
    assert len(tab.posts()) == 1
    assert page.get_by_role("heading", level=1).text_content() == words["thanks"]
    request = AppointmentRequest.objects.get()
    assert (request.email, request.language) == ("maria.gonzalez@example.com", language)


@by_language
def test_typing_a_field_for_the_first_time_shows_no_message(visit, language):
    page = visit().page
    page.goto(in_language(language, FORM_URL))
    email = page.get_by_label(WORDS[language]["email"])
    email.type("mar")
    assert page.locator(".field-error").count() == 0  # still typing: no message yet
    email.type("ia")
    assert page.locator(".field-error").count() == 0
    page.get_by_role("button", name=WORDS[language]["send"]).click()
    assert inline_error(page, "email") == MESSAGES[language]["email_invalid"]


@by_language
def test_the_server_has_the_last_word_on_a_number_that_only_looks_right(visit, language):
    page = visit().page
    page.goto(in_language(language, FORM_URL))
    fill_valid(page, language)
    page.get_by_label(WORDS[language]["phone"]).fill("555-123-4567")
    page.get_by_role("button", name=WORDS[language]["send"]).click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("#error-summary").get_by_role("heading").text_content() == WORDS[language]["problem"]
    assert inline_error(page, "phone") == MESSAGES[language]["phone_invalid"]
    expect(page.get_by_label(WORDS[language]["phone"])).to_have_value("555-123-4567")


PHONE_SAMPLES = [
    "abc",
    "12",
    "12345",
    "555-0143",
    "1-800-FLOWERS",
    "202-555-CALL",
    "(202) 555-0143 ext 12",
    "+44 20 7946 0958",
    "011 44 20 7946 0958",
    "202/555/0143",
    "1234567890123456789",
    "tel: 202 555 0143",
]


def test_the_script_never_turns_away_a_phone_number_the_server_accepts(visit):
    tab = visit()
    page = tab.page
    page.goto(FORM_URL)
    phone = page.get_by_label("Phone")
    form_element = page.locator("#appointment-form")
    caught = []
    for sample in PHONE_SAMPLES:
        form = AppointmentRequestForm(data={"phone": sample})
        form.is_valid()
        server_says_not_a_number = MESSAGES["en"]["phone_not_a_number"] in form.errors.get("phone", [])
        phone.fill(sample)
        form_element.evaluate("form => form.requestSubmit()")
        shown = page.locator("#id_phone_error").count() == 1
        script_says_not_a_number = shown and inline_error(page, "phone") == MESSAGES["en"]["phone_not_a_number"]
        assert script_says_not_a_number <= server_says_not_a_number, sample
        if script_says_not_a_number:
            caught.append(sample)
    # And it does catch the obvious ones, all before any request.
    assert caught == ["abc", "12", "12345", "1234567890123456789"]
    assert tab.posts() == []


@by_language
def test_with_javascript_off_the_server_checks_the_form(visit, language):
    tab = visit(java_script_enabled=False)
    page = tab.page
    words = WORDS[language]
    page.goto(in_language(language, FORM_URL))
    page.get_by_label(words["first name"]).fill("Maria")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_load_state()
    assert len(tab.posts()) == 1
    assert page.title().startswith("Error: ")
    assert page.locator("#error-summary").get_by_role("heading").text_content() == words["problem"]
    for name, message in REQUIRED[language].items():
        if name != "first_name":
            assert inline_error(page, name) == message
    expect(page.get_by_label(words["first name"])).to_have_value("Maria")
    fill_valid(page, language)
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(f"**{in_language(language, THANKS_URL)}")
    assert page.get_by_role("heading", level=1).text_content() == words["thanks"]
    assert AppointmentRequest.objects.get().language == language


def test_the_honeypot_is_invisible_to_people_screen_readers_and_autofill(visit):
    page = visit().page
    page.goto(FORM_URL)
    honeypot = page.locator("input[name=leave_blank]")
    assert honeypot.count() == 1
    assert page.get_by_role("textbox", name=re.compile("Leave this field blank")).count() == 0
    box = honeypot.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    assert honeypot.get_attribute("tabindex") == "-1"
    assert honeypot.get_attribute("autocomplete") == "off"
    page.keyboard.press("Tab")
    for _ in range(40):
        assert page.evaluate("document.activeElement.name") != "leave_blank"
        page.keyboard.press("Tab")
    tokens = {"first_name": "given-name", "last_name": "family-name", "email": "email", "phone": "tel"}
    for name, token in tokens.items():
        assert page.locator(f"[name={name}]").get_attribute("autocomplete") == token
    assert page.locator("[name=phone]").get_attribute("type") == "tel"


# What a keyboard user types in each select to pick "yes", Tuesday and the morning (Sí, Martes, Mañana).
SELECT_KEYS = {"en": ("Y", "T", "M"), "es": ("S", "M", "M")}


@by_language
def test_a_keyboard_only_patient_at_200_percent_zoom_sends_a_request(visit, language):
    """A 640 px wide window is a 1280 px one at 200% zoom."""
    tab = visit(viewport={"width": 640, "height": 720})
    page = tab.page
    send = WORDS[language]["send"]
    yes, tuesday, morning = SELECT_KEYS[language]
    page.goto(ARTICLE_URLS[language])

    def focused() -> str:
        return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")

    def tab_to(target: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if focused() == target:
                return
        raise AssertionError(f"{target!r} cannot be reached with Tab")

    tab_to(send)
    page.keyboard.press("Enter")
    assert focused() == "error-summary"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused() == "id_first_name"
    assert tab.posts() == []

    page.keyboard.type("Maria")
    for field, keys in (
        ("id_last_name", "Gonzalez"),
        ("id_phone", "(202) 555-0143"),
        ("id_email", "maria.gonzalez@example.com"),
        ("id_new_patient", yes),
        ("id_preferred_day", tuesday),
        ("id_preferred_time", morning),
    ):
        page.keyboard.press("Tab")
        assert focused() == field
        page.keyboard.type(keys)
    assert page.locator(".field-error").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    tab_to(send)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{in_language(language, THANKS_URL)}")
    request = AppointmentRequest.objects.get()
    assert (request.new_patient, request.preferred_day, request.preferred_time) == (True, "tuesday", "morning")
    assert request.language == language


@by_language
def test_leaving_a_field_typed_in_shows_its_message_but_tabbing_past_stays_quiet(visit, language):
    tab = visit()
    page = tab.page
    words, says = WORDS[language], MESSAGES[language]
    page.goto(in_language(language, FORM_URL))
    page.get_by_label(words["first name"]).focus()
    page.keyboard.press("Tab")  # past First Name without typing: no nagging
    expect(page.locator("#id_first_name_error")).to_have_count(0)

    page.get_by_label(words["phone"]).fill("12")
    page.keyboard.press("Tab")
    assert inline_error(page, "phone") == says["phone_not_a_number"]
    page.get_by_label(words["email"]).fill("maria@")
    page.keyboard.press("Tab")
    assert inline_error(page, "email") == says["email_invalid"]
    page.get_by_label(words["email"]).fill("")
    page.keyboard.press("Tab")
    assert inline_error(page, "email") == says["email_required"]

    page.get_by_label(words["phone"]).fill("(202) 555-0143")
    page.keyboard.press("Tab")
    expect(page.locator("#id_phone_error")).to_have_count(0)
    assert tab.posts() == []
