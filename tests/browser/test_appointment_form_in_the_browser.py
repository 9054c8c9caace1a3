"""A patient fills in the appointment form in a real browser, JavaScript on and off."""

import re

import pytest

from appointments.forms import MESSAGES as LAZY_MESSAGES
from appointments.forms import AppointmentRequestForm
from appointments.models import AppointmentRequest

from .conftest import ARTICLE_URL, expect

FORM_URL = "/appointments/request/"
MESSAGES = {key: str(message) for key, message in LAZY_MESSAGES.items()}
REQUIRED = {
    "first_name": MESSAGES["first_name_required"],
    "last_name": MESSAGES["last_name_required"],
    "phone": MESSAGES["phone_required"],
    "email": MESSAGES["email_required"],
    "new_patient": MESSAGES["selection_required"],
    "preferred_day": MESSAGES["selection_required"],
    "preferred_time": MESSAGES["selection_required"],
}


def fill_valid(page) -> None:
    page.get_by_label("First Name").fill("Maria")
    page.get_by_label("Last Name").fill("Gonzalez")
    page.get_by_label("Phone").fill("(202) 555-0143")
    page.get_by_label("Email").fill("maria.gonzalez@example.com")
    page.get_by_label("Are you a new patient?").select_option("yes")
    page.get_by_label("Preferred Day").select_option("tuesday")
    page.get_by_label("Preferred Time").select_option("morning")


def inline_error(page, name: str):
    """The field's message as a screen reader gets it: via aria-describedby, with its "Error:" prefix."""
    field = page.locator(f"#id_{name}")
    assert field.get_attribute("aria-invalid") == "true"
    assert "is-invalid" in field.get_attribute("class")
    assert f"id_{name}_error" in field.get_attribute("aria-describedby").split()
    box = page.locator(f"#id_{name}_error")
    assert box.locator(".visually-hidden").text_content() == "Error: "
    return " ".join(box.text_content().split()).removeprefix("Error: ")


@pytest.mark.parametrize("url", [FORM_URL, ARTICLE_URL])
def test_an_empty_submit_shows_every_message_before_any_request_is_sent(visit, url):
    tab = visit()
    page = tab.page
    page.goto(url)
    page.get_by_role("button", name="Send My Request").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert summary.get_by_role("heading").text_content() == "There is a problem"
    assert summary.get_by_role("link").all_text_contents() == list(REQUIRED.values())
    for name, message in REQUIRED.items():
        assert inline_error(page, name) == message
    assert page.title().startswith("Error: ")
    assert tab.posts() == []


def test_the_summary_links_to_each_field_and_a_corrected_field_clears_its_message(visit):
    tab = visit()
    page = tab.page
    page.goto(FORM_URL)
    page.get_by_label("Phone").fill("12")
    page.get_by_role("button", name="Send My Request").click()
    assert inline_error(page, "phone") == MESSAGES["phone_not_a_number"]

    page.locator("#error-summary").get_by_role("link", name=MESSAGES["phone_not_a_number"]).click()
    expect(page.get_by_label("Phone")).to_be_focused()
    page.keyboard.type("02 555 0143")
    expect(page.locator("#id_phone_error")).to_have_count(0)
    phone = page.get_by_label("Phone")
    assert phone.get_attribute("aria-invalid") is None
    assert "is-invalid" not in phone.get_attribute("class")
    assert page.locator("#error-summary").get_by_role("link", name=MESSAGES["phone_not_a_number"]).count() == 0

    # Back to empty: the re-check shows the required message again.
    phone.fill("")
    assert inline_error(page, "phone") == MESSAGES["phone_required"]

    fill_valid(page)
    page.get_by_label("Email").fill("maria@")
    page.get_by_role("button", name="Send My Request").click()
    assert inline_error(page, "email") == MESSAGES["email_invalid"]
    assert page.locator("#error-summary").get_by_role("link").all_text_contents() == [MESSAGES["email_invalid"]]
    assert tab.posts() == []

    page.get_by_label("Email").fill("maria.gonzalez@example.com")
    expect(page.locator("#error-summary")).to_have_count(0)
    assert not page.title().startswith("Error: ")
    page.get_by_role("button", name="Send My Request").click()
    page.wait_for_url("**/appointments/thanks/")
    assert len(tab.posts()) == 1
    assert page.get_by_role("heading", level=1).text_content() == "Thank you: we have received your request"
    assert AppointmentRequest.objects.get().email == "maria.gonzalez@example.com"


def test_typing_a_field_for_the_first_time_shows_no_message(visit):
    page = visit().page
    page.goto(FORM_URL)
    page.get_by_label("Email").type("mar")
    assert page.locator(".field-error").count() == 0  # still typing: no message yet
    page.get_by_label("Email").type("ia")
    assert page.locator(".field-error").count() == 0
    page.get_by_role("button", name="Send My Request").click()
    assert inline_error(page, "email") == MESSAGES["email_invalid"]


def test_the_server_has_the_last_word_on_a_number_that_only_looks_right(visit):
    page = visit().page
    page.goto(FORM_URL)
    fill_valid(page)
    page.get_by_label("Phone").fill("555-123-4567")
    page.get_by_role("button", name="Send My Request").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert inline_error(page, "phone") == MESSAGES["phone_invalid"]
    expect(page.get_by_label("Phone")).to_have_value("555-123-4567")


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
        server_says_not_a_number = MESSAGES["phone_not_a_number"] in form.errors.get("phone", [])
        phone.fill(sample)
        form_element.evaluate("form => form.requestSubmit()")
        shown = page.locator("#id_phone_error").count() == 1
        script_says_not_a_number = shown and inline_error(page, "phone") == MESSAGES["phone_not_a_number"]
        assert script_says_not_a_number <= server_says_not_a_number, sample
        if script_says_not_a_number:
            caught.append(sample)
    # And it does catch the obvious ones, all before any request.
    assert caught == ["abc", "12", "12345", "1234567890123456789"]
    assert tab.posts() == []


def test_with_javascript_off_the_server_checks_the_form(visit):
    tab = visit(java_script_enabled=False)
    page = tab.page
    page.goto(FORM_URL)
    page.get_by_label("First Name").fill("Maria")
    page.get_by_role("button", name="Send My Request").click()
    page.wait_for_load_state()
    assert len(tab.posts()) == 1
    assert page.title().startswith("Error: ")
    for name, message in REQUIRED.items():
        if name != "first_name":
            assert inline_error(page, name) == message
    expect(page.get_by_label("First Name")).to_have_value("Maria")
    fill_valid(page)
    page.get_by_role("button", name="Send My Request").click()
    page.wait_for_url("**/appointments/thanks/")
    assert AppointmentRequest.objects.count() == 1


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


def test_a_keyboard_only_patient_at_200_percent_zoom_sends_a_request(visit):
    """A 640 px wide window is a 1280 px one at 200% zoom."""
    tab = visit(viewport={"width": 640, "height": 720})
    page = tab.page
    page.goto(ARTICLE_URL)

    def focused() -> str:
        return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")

    def tab_to(target: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if focused() == target:
                return
        raise AssertionError(f"{target!r} cannot be reached with Tab")

    tab_to("Send My Request")
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
        ("id_new_patient", "Y"),
        ("id_preferred_day", "T"),
        ("id_preferred_time", "M"),
    ):
        page.keyboard.press("Tab")
        assert focused() == field
        page.keyboard.type(keys)
    assert page.locator(".field-error").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    tab_to("Send My Request")
    page.keyboard.press("Enter")
    page.wait_for_url("**/appointments/thanks/")
    request = AppointmentRequest.objects.get()
    assert (request.new_patient, request.preferred_day, request.preferred_time) == (True, "tuesday", "morning")


def test_leaving_a_field_typed_in_shows_its_message_but_tabbing_past_stays_quiet(visit):
    tab = visit()
    page = tab.page
    page.goto(FORM_URL)
    page.get_by_label("First Name").focus()
    page.keyboard.press("Tab")  # past First Name without typing: no nagging
    expect(page.locator("#id_first_name_error")).to_have_count(0)

    page.get_by_label("Phone").fill("12")
    page.keyboard.press("Tab")
    assert inline_error(page, "phone") == MESSAGES["phone_not_a_number"]
    page.get_by_label("Email").fill("maria@")
    page.keyboard.press("Tab")
    assert inline_error(page, "email") == MESSAGES["email_invalid"]
    page.get_by_label("Email").fill("")
    page.keyboard.press("Tab")
    assert inline_error(page, "email") == MESSAGES["email_required"]

    page.get_by_label("Phone").fill("(202) 555-0143")
    page.keyboard.press("Tab")
    expect(page.locator("#id_phone_error")).to_have_count(0)
    assert tab.posts() == []
