"""Property-based: whatever a bot or a confused patient sends, the site never fails and never echoes markup.

Examples per test: HYPOTHESIS_PROFILE (tests/conftest.py): "ci" runs 150, "dev" 40.
"""

import urllib.parse
import uuid

import phonenumbers
import pytest
from django.test import Client
from email_validator import validate_email
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from appointments.models import AppointmentRequest

pytestmark = pytest.mark.django_db

FORM_URL = "/appointments/request/"
FIELDS = ["first_name", "last_name", "phone", "email", "new_patient", "preferred_day", "preferred_time", "message"]
# Markup that would run or break out of an attribute if it ever came back unescaped.
MARKUP = ["<script>fz()</script>", '"><b id=fz>', "' onfocus='fz", "<img src=x onerror=fz>", "</textarea><b id=fz>"]
FORBIDDEN_IN_PAGE = ["<script>fz", "<b id=fz>", "' onfocus='fz", "<img src=x"]

fixture_ok = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.builds(lambda a, markup, b: a + markup + b, st.text(max_size=20), st.sampled_from(MARKUP), st.text(max_size=20)),
    st.integers(0, 20_000).map(lambda n: "9" * n),
)
any_form = st.fixed_dictionaries({}, optional=dict.fromkeys([*FIELDS, "form_token", "leave_blank"], any_text))


@pytest.fixture
def browser(settings) -> Client:
    settings.APPOINTMENT_RATE_LIMIT = "1000000/m"
    return Client()


def assert_safe(response) -> None:
    assert response.status_code < 500
    page = response.content.decode(errors="replace")
    for markup in FORBIDDEN_IN_PAGE:
        assert markup not in page


@fixture_ok
@given(data=any_form)
@example(data={"first_name": MARKUP[0], "message": MARKUP[4], "email": MARKUP[1], "phone": "\x00"})
def test_any_text_in_any_field_never_fails_or_echoes_markup(browser, data):
    response = browser.post(FORM_URL, data)
    assert response.status_code in {200, 302}
    assert_safe(response)


@fixture_ok
@given(fields=st.dictionaries(st.sampled_from(FIELDS), st.binary(max_size=500), max_size=len(FIELDS)))
def test_any_bytes_in_any_field_never_fail(browser, fields):
    body = urllib.parse.urlencode(fields).encode()
    response = browser.post(FORM_URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 302}
    assert_safe(response)


@fixture_ok
@given(query=any_text)
@example(query="\x00")  # PostgreSQL refuses NUL in text: this once was a 500 there
def test_any_search_never_fails_or_echoes_markup(browser, query):
    response = browser.get("/articles/", {"q": query})
    assert response.status_code == 200
    assert_safe(response)


@fixture_ok
@given(raw=st.binary(max_size=300))
def test_any_bytes_in_the_search_never_fail(browser, raw):
    response = browser.get("/articles/?q=" + urllib.parse.quote_from_bytes(raw))
    assert response.status_code == 200
    assert_safe(response)


@pytest.mark.parametrize(
    "body",
    [
        ("message=" + "x" * 3_000_000, 413),  # past what the form can need (clinic.edge.PUBLIC_BODY_BYTES)
        ("&".join(f"f{n}=1" for n in range(2000)), 400),  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    ],
)
def test_an_oversized_post_is_refused_not_answered_with_500(body):
    body, status = body
    response = Client(raise_request_exception=False).post(
        FORM_URL, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == status


def printable(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=max_size)
    return text.filter(lambda s: len(s.strip()) >= min_size)


us_phones = st.builds(
    lambda area, line, style: style.format(a=area, n=line),
    st.sampled_from(["202", "212", "415", "617", "718"]),
    st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    st.sampled_from(["({a}) 555-{n}", "{a}-555-{n}", "{a}.555.{n}", "+1 {a} 555 {n}", "1{a}555{n}", " {a}555{n} "]),
)
emails = st.from_regex(
    r"[A-Za-z0-9][A-Za-z0-9._+-]{0,20}[A-Za-z0-9]@[A-Za-z]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?\.(com|ORG|net)",
    fullmatch=True,
)
valid_requests = st.fixed_dictionaries(
    {
        "first_name": printable(1, 100),
        "last_name": printable(1, 100),
        "phone": us_phones,
        "email": emails.filter(lambda e: ".." not in e),
        "new_patient": st.sampled_from(["yes", "no"]),
        "preferred_day": st.sampled_from(AppointmentRequest.Day.values),
        "preferred_time": st.sampled_from(AppointmentRequest.Time.values),
        "message": printable(0, 2000),
    }
)


@fixture_ok
@given(data=valid_requests)
def test_a_valid_request_is_stored_exactly_as_normalized(browser, data):
    token = uuid.uuid4()
    response = browser.post(FORM_URL, {**data, "form_token": str(token)})
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = AppointmentRequest.objects.get(submission_token=token)
    number = phonenumbers.parse(data["phone"], "US")
    assert stored.first_name == data["first_name"].strip()
    assert stored.last_name == data["last_name"].strip()
    assert stored.phone == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert stored.email == validate_email(data["email"], check_deliverability=False).normalized
    assert stored.new_patient is (data["new_patient"] == "yes")
    assert (stored.preferred_day, stored.preferred_time) == (data["preferred_day"], data["preferred_time"])
    assert stored.message == data["message"].strip()
    assert stored.status == AppointmentRequest.Status.NEW
