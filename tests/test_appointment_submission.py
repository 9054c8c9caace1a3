"""A patient sends a request: it is stored once, where it came from, and they are told what happens next."""

import re
import uuid

import pytest
from django.urls import reverse
from freezegun import freeze_time

from appointments.models import AppointmentRequest

pytestmark = pytest.mark.django_db

FORM_URL = reverse("appointments:request")
THANKS_URL = reverse("appointments:thanks")


def test_a_valid_request_is_stored_normalized_and_redirects_to_thanks(client, valid_data):
    response = client.post(FORM_URL, {**valid_data, "email": "Maria.Gonzalez@EXAMPLE.com"})
    assert response.status_code in (302, 303)
    assert response["Location"] == THANKS_URL
    request = AppointmentRequest.objects.get()
    assert request.phone == "+12025550143"
    assert request.email == "Maria.Gonzalez@example.com"
    assert (request.first_name, request.last_name) == ("Maria", "Gonzalez")
    assert request.new_patient is True
    assert (request.preferred_day, request.preferred_time) == ("tuesday", "morning")
    assert request.status == AppointmentRequest.Status.NEW
    assert str(request.submission_token) == valid_data["form_token"]


def test_new_patient_no_is_stored_as_false(client, valid_data):
    client.post(FORM_URL, {**valid_data, "new_patient": "no"})
    assert AppointmentRequest.objects.get().new_patient is False


def test_thanks_page_gives_reference_next_steps_emergency_and_privacy(client, valid_data, settings):
    response = client.post(FORM_URL, valid_data, follow=True)
    page = response.content.decode()
    reference = AppointmentRequest.objects.get().reference
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    assert reference in page
    assert "What happens next" in page
    assert settings.CLINIC["CALLBACK"] in page
    assert "not for emergencies" in page
    assert "call 911" in page
    assert f'href="{reverse("pages:privacy")}"' in page


def test_thanks_page_without_a_submission_still_helps(client):
    page = client.get(THANKS_URL).content.decode()
    assert "call 911" in page
    assert "reference number" not in page


@pytest.mark.parametrize("times", [2, 3])
def test_double_submit_stores_one_request(client, valid_data, times):
    responses = [client.post(FORM_URL, valid_data) for _ in range(times)]
    assert all(r.status_code == 302 and r["Location"] == THANKS_URL for r in responses)
    assert AppointmentRequest.objects.count() == 1


def test_resubmitting_shows_the_same_reference(client, valid_data):
    client.post(FORM_URL, valid_data)
    first = client.get(THANKS_URL).content.decode()
    client.post(FORM_URL, valid_data)
    second = client.get(THANKS_URL).content.decode()
    reference = AppointmentRequest.objects.get().reference
    assert reference in first
    assert reference in second


def test_two_separate_forms_store_two_requests(client, valid_data):
    client.post(FORM_URL, valid_data)
    client.post(FORM_URL, {**valid_data, "form_token": str(uuid.uuid4())})
    assert AppointmentRequest.objects.count() == 2


def test_a_missing_or_mangled_token_still_stores_the_request(client, valid_data):
    client.post(FORM_URL, {**valid_data, "form_token": "not-a-uuid"})
    client.post(FORM_URL, {k: v for k, v in valid_data.items() if k != "form_token"})
    assert AppointmentRequest.objects.count() == 2


def test_each_rendered_form_carries_a_fresh_token(client):
    tokens = {
        re.search(r'name="form_token" value="([^"]+)"', client.get(FORM_URL).content.decode()).group(1)
        for _ in range(3)
    }
    assert len(tokens) == 3


def test_the_form_page_is_recorded_as_the_source(client, valid_data):
    client.post(FORM_URL, valid_data)
    request = AppointmentRequest.objects.get()
    assert request.source_article is None
    assert request.source_path == FORM_URL


def test_a_request_sent_under_an_article_records_the_article(client, valid_data, make_article):
    article = make_article(title="Sleep and pain")
    response = client.post(article.get_absolute_url(), valid_data)
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    request = AppointmentRequest.objects.get()
    assert request.source_article == article
    assert request.source_path == article.get_absolute_url()


def test_an_invalid_post_under_an_article_rerenders_the_article_with_errors(client, make_article):
    article = make_article(title="Sleep and pain")
    response = client.post(article.get_absolute_url(), {"first_name": "Maria"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sleep and pain" in page
    assert "Please enter your name." in page
    assert 'value="Maria"' in page


def test_a_filled_honeypot_is_thanked_kept_and_marked_spam(client, valid_data):
    response = client.post(FORM_URL, {**valid_data, "leave_blank": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    request = AppointmentRequest.objects.get()
    assert request.status == AppointmentRequest.Status.SPAM
    assert request.spam_reason == "honeypot"


def test_a_client_over_the_rate_limit_gets_429_with_the_clinic_phone(client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "3/10m"
    for _ in range(3):
        response = client.post(FORM_URL, {**valid_data, "form_token": str(uuid.uuid4())})
        assert response.status_code == 302
    response = client.post(FORM_URL, {**valid_data, "form_token": str(uuid.uuid4())})
    assert response.status_code == 429
    assert settings.CLINIC["PHONE"] in response.content.decode()
    assert AppointmentRequest.objects.count() == 3


def test_the_rate_limit_is_per_client(client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "1/10m"
    assert client.post(FORM_URL, valid_data, REMOTE_ADDR="192.0.2.1").status_code == 302
    other = {**valid_data, "form_token": str(uuid.uuid4())}
    assert client.post(FORM_URL, other, REMOTE_ADDR="192.0.2.2").status_code == 302
    third = {**valid_data, "form_token": str(uuid.uuid4())}
    assert client.post(FORM_URL, third, REMOTE_ADDR="192.0.2.1").status_code == 429


def test_a_double_submit_does_not_count_against_the_limit(client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "1/10m"
    assert client.post(FORM_URL, valid_data).status_code == 302
    assert client.post(FORM_URL, valid_data).status_code == 302


def test_a_double_submit_past_the_limit_still_gets_its_reference(client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "1/10m"
    client.post(FORM_URL, valid_data)
    other = {**valid_data, "form_token": str(uuid.uuid4())}
    assert client.post(FORM_URL, other).status_code == 429  # past the limit: not stored...
    response = client.post(FORM_URL, valid_data)  # ...but the first form sent again is thanked
    assert response.status_code == 302
    assert AppointmentRequest.objects.get().reference in client.get(THANKS_URL).content.decode()


def test_the_limit_holds_for_the_whole_window_not_just_the_cache_default(client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "2/1h"
    with freeze_time("2026-01-05 10:05:00") as clock:
        for _ in range(2):
            assert client.post(FORM_URL, {**valid_data, "form_token": str(uuid.uuid4())}).status_code == 302
        # Past the cache's default five-minute expiry, still the same hour.
        clock.move_to("2026-01-05 10:11:00")
        other = {**valid_data, "form_token": str(uuid.uuid4())}
        assert client.post(FORM_URL, other).status_code == 429


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "1/10m"
    client.post(FORM_URL, valid_data, HTTP_X_FORWARDED_FOR="198.51.100.7")
    spoofed = {**valid_data, "form_token": str(uuid.uuid4())}
    # A forged header does not buy a fresh allowance.
    assert client.post(FORM_URL, spoofed, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_limited(client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "1/10m"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.post(FORM_URL, valid_data, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    other = {**valid_data, "form_token": str(uuid.uuid4())}
    assert client.post(FORM_URL, other, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
    again = {**valid_data, "form_token": str(uuid.uuid4())}
    assert client.post(FORM_URL, again, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_csrf_stays_on_for_the_form(valid_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(FORM_URL, valid_data)
    assert response.status_code == 403
    assert AppointmentRequest.objects.count() == 0


def test_an_expired_form_comes_back_filled_in_instead_of_losing_the_request(valid_data, make_article):
    from django.test import Client

    article = make_article()
    response = Client(enforce_csrf_checks=True).post(article.get_absolute_url(), valid_data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "this form expired before it was sent" in page
    assert 'value="Maria"' in page
    assert 'value="(202) 555-0143"' in page
    assert f'action="{article.get_absolute_url()}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert AppointmentRequest.objects.count() == 0
