"""The appointment form as a patient meets it: every rule and message in SPEC.md."""

import html
import re

import pytest
from django.urls import reverse

from appointments.forms import AppointmentRequestForm
from appointments.models import AppointmentRequest

pytestmark = pytest.mark.django_db

FORM_URL = reverse("appointments:request")

REQUIRED_MESSAGES = {
    "first_name": "Please enter your first name.",
    "last_name": "Please enter your name.",
    "phone": "Please enter your phone number.",
    "email": "Please enter your email address.",
    "new_patient": "Please make a selection.",
    "preferred_day": "Please make a selection.",
    "preferred_time": "Please make a selection.",
}


def errors_for(data: dict) -> dict[str, list[str]]:
    form = AppointmentRequestForm(data)
    form.is_valid()
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def test_empty_form_shows_every_required_message_verbatim(client):
    response = client.post(FORM_URL, {})
    assert response.status_code == 200
    page = response.content.decode()
    for message in set(REQUIRED_MESSAGES.values()):
        assert message in page
    assert errors_for({}) == {name: [message] for name, message in REQUIRED_MESSAGES.items()}


def test_whitespace_only_counts_as_empty(valid_data):
    data = {**valid_data, "first_name": "   ", "last_name": "\t", "phone": "  ", "email": " \n "}
    assert errors_for(data) == {
        name: [REQUIRED_MESSAGES[name]] for name in ("first_name", "last_name", "phone", "email")
    }


@pytest.mark.parametrize("phone", ["12", "hello", "555", "+1 202 555 01431234567", "((((", "2025550143" * 30])
def test_something_that_is_not_a_phone_number(valid_data, phone):
    assert errors_for({**valid_data, "phone": phone}) == {"phone": ["This isn't a valid phone number."]}


@pytest.mark.parametrize("phone", ["555-123-4567", "(100) 555-0143", "+1 555 123 4567"])
def test_a_possible_but_invalid_number(valid_data, phone):
    assert errors_for({**valid_data, "phone": phone}) == {"phone": ["You entered an invalid number."]}


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("(202) 555-0143", "+12025550143"),
        ("202.555.0143", "+12025550143"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+33 1 42 68 53 00", "+33142685300"),
    ],
)
def test_valid_numbers_are_stored_in_e164(valid_data, phone, stored):
    form = AppointmentRequestForm({**valid_data, "phone": phone})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored


def test_phone_region_is_a_setting(settings, valid_data):
    settings.PHONE_REGION = "GB"
    form = AppointmentRequestForm({**valid_data, "phone": "020 7946 0958"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+442079460958"


@pytest.mark.parametrize(
    "email", ["maria", "maria@", "@example.com", "maria@@example.com", "maria@example", "a b@c.com"]
)
def test_an_invalid_email_address(valid_data, email):
    assert errors_for({**valid_data, "email": email}) == {"email": ["This isn't a valid email address."]}


def test_email_is_normalized(valid_data):
    form = AppointmentRequestForm({**valid_data, "email": "  Maria.Gonzalez@EXAMPLE.COM "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "Maria.Gonzalez@example.com"


def test_email_deliverability_check_follows_the_setting(settings, valid_data, monkeypatch):
    calls = []

    def fake_validate(value, check_deliverability):
        calls.append(check_deliverability)
        raise __import__("email_validator").EmailNotValidError("no MX")

    monkeypatch.setattr("appointments.forms.validate_email", fake_validate)
    settings.EMAIL_CHECK_DELIVERABILITY = True
    assert errors_for(valid_data) == {"email": ["This isn't a valid email address."]}
    assert calls == [True]


@pytest.mark.parametrize("field", ["new_patient", "preferred_day", "preferred_time"])
def test_a_tampered_select_value_asks_for_a_selection(valid_data, field):
    assert errors_for({**valid_data, field: "<b>sunday</b>"}) == {field: ["Please make a selection."]}


def test_invalid_post_keeps_every_value_typed(client, valid_data):
    data = {**valid_data, "email": "not-an-email", "message": "Pain in <b>both</b> knees"}
    response = client.post(FORM_URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Maria"' in page
    assert 'value="Gonzalez"' in page
    assert 'value="(202) 555-0143"' in page
    assert 'value="not-an-email"' in page
    assert '<option value="tuesday" selected>' in page
    assert '<option value="morning" selected>' in page
    assert '<option value="yes" selected>' in page
    assert "Pain in &lt;b&gt;both&lt;/b&gt; knees" in page
    assert f'value="{valid_data["form_token"]}"' in page


def test_each_invalid_field_is_marked_and_described_by_its_message(client):
    page = client.post(FORM_URL, {}).content.decode()
    for name, message in REQUIRED_MESSAGES.items():
        tag = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag
        described_by = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
        error_block = re.search(rf'<div id="{described_by}"[^>]*>(.*?)</div>', page, re.S).group(1)
        assert message in html.unescape(error_block)
        assert "Error:" in error_block


def test_error_summary_links_to_each_field_and_title_says_error(client):
    response = client.post(FORM_URL, {"first_name": "Maria"})
    page = response.content.decode()
    assert "There is a problem" in page
    summary = re.search(r'<div class="error-summary".*?</ul>', page, re.S).group(0)
    for name in REQUIRED_MESSAGES.keys() - {"first_name"}:
        assert f'href="#id_{name}"' in summary
    assert 'href="#id_first_name"' not in summary
    assert re.search(r"<title>Error: ", page)


def test_a_clean_form_page_has_no_errors_and_a_plain_title(client):
    page = client.get(FORM_URL).content.decode()
    # The words are in the form's data-summary-title for the browser script; the summary itself is absent.
    assert 'id="error-summary"' not in page
    assert ">There is a problem<" not in page
    assert 'aria-invalid="true"' not in page
    assert not re.search(r"<title>Error: ", page)


def test_form_structure_matches_the_contract(client):
    page = client.get(FORM_URL).content.decode()
    assert "Personal Information" in page
    assert "* Indicates Required Field" in page
    assert "Preferred Appointment" in page
    for label in [
        "First Name",
        "Last Name",
        "Phone",
        "Email",
        "Are you a new patient?",
        "Preferred Day",
        "Preferred Time",
    ]:
        assert re.search(re.escape(label) + r'\s*<span class="asteriskField">\*</span>', page), label
    assert "Reason for visit / comments" in page
    for name in ["new_patient", "preferred_day", "preferred_time"]:
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        assert re.search(r'<option value=""[^>]*>Please select</option>', select)
    assert 'type="tel"' in page
    assert 'autocomplete="tel"' in page


def test_messages_for_the_browser_come_from_the_form(client):
    page = html.unescape(client.get(FORM_URL).content.decode())
    assert 'data-msg-required="Please enter your first name."' in page
    assert 'data-msg-not-a-number="This isn\'t a valid phone number."' in page
    assert 'data-msg-invalid-number="You entered an invalid number."' in page


def test_a_long_message_gets_a_clear_message_and_is_not_cut(valid_data, client):
    response = client.post(FORM_URL, {**valid_data, "message": "x" * 2500})
    assert response.status_code == 200
    assert "Please shorten your message to 2000 characters or fewer (you entered 2500)." in response.content.decode()
    assert AppointmentRequest.objects.count() == 0


@pytest.mark.parametrize(
    "hostile",
    [
        "A" * 10_000,
        "Ana\x00Maria",
        "😀🙏🏽 Zoë",
        "\u202eevil\u202c name",
        '"><script>alert(1)</script>',
        "' OR 1=1 --",
        "\ud7ff\ufffd",
    ],
)
@pytest.mark.parametrize("field", ["first_name", "last_name", "phone", "email", "message", "preferred_day"])
def test_nothing_a_patient_types_causes_a_server_error(client, valid_data, field, hostile):
    response = client.post(FORM_URL, {**valid_data, field: hostile})
    assert response.status_code in (200, 302)
    assert b"<script>alert(1)</script>" not in response.content


def test_the_honeypot_is_hidden_from_people_and_autofill(client):
    page = client.get(FORM_URL).content.decode()
    wrapper = re.search(r'<div\s+class="hp-field"\s+aria-hidden="true">.*?</div>\s*</div>', page, re.S).group(0)
    field = re.search(r'<input[^>]*name="leave_blank"[^>]*>', wrapper).group(0)
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field
