"""What a hostile client sends at the edge is refused plainly (400/413), never spooled, never a 500."""

import os
import uuid
from io import BytesIO
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse, reverse_lazy
from PIL import Image

from appointments.models import AppointmentRequest
from articles.forms import MAX_IMAGE_MB
from articles.models import BodyImage
from clinic import edge
from tests.article_helpers import staff_in
from tests.test_security_headers import HttpsClient, assert_secure_headers

pytestmark = pytest.mark.django_db

FORM_URL = "/appointments/request/"


@pytest.fixture
def nothing_is_kept(monkeypatch):
    """Django's own upload handlers fail the test if any byte of a file reaches them."""

    def kept(*args, **kwargs):
        raise AssertionError("a file part was kept")

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", kept)
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", kept)


def test_a_file_sent_with_the_form_is_refused_before_it_is_kept(client, valid_data, nothing_is_kept):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 " + b"x" * 10_000, content_type="application/pdf")
    response = client.post(FORM_URL, {**valid_data, "attachment": upload})
    assert response.status_code == 400
    assert "This request could not be read" in response.content.decode()
    assert not AppointmentRequest.objects.exists()


def test_the_form_sent_as_multipart_without_files_is_still_taken(client, valid_data):
    assert client.post(FORM_URL, valid_data).status_code == 302  # the test client posts multipart
    assert AppointmentRequest.objects.count() == 1


def test_a_huge_body_is_refused_unread_with_413(client):
    # The test client's payload refuses to be read past what it holds: a read would raise, not answer 413.
    response = client.post(
        FORM_URL, b"first_name=x", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="314572800"
    )
    assert response.status_code == 413
    assert "This request is too large" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_body_just_big_enough_for_the_longest_form_is_taken(client, valid_data):
    longest = {**valid_data, "message": "é" * 2000}  # every character two bytes, percent-encoded to six
    response = Client().post(FORM_URL, longest)
    assert response.status_code == 302


def test_the_admin_still_takes_a_picture_up_to_its_limit(client):
    assert edge.STAFF_BODY_BYTES > (MAX_IMAGE_MB + 1) * 1024 * 1024
    client.force_login(staff_in("Editors"))
    side = 1250  # random pixels do not compress: a PNG of about 4.7 MB
    buffer = BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG", compress_level=0)
    assert 4 * 1024 * 1024 < len(buffer.getvalue()) < MAX_IMAGE_MB * 1024 * 1024
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    response = client.post(
        reverse("admin:articles_bodyimage_add"), {"title": "Noise", "image": upload, "alt_text": "Grey noise"}
    )
    assert response.status_code == 302
    assert BodyImage.objects.count() == 1


@pytest.mark.parametrize("url", ["/healthz", FORM_URL, reverse_lazy("admin:login"), "/articles/"])
@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "cp037", "utf-7", "no-such-charset"])
@pytest.mark.parametrize("kind", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_body_in_a_charset_django_cannot_read_is_a_400_everywhere(url, charset, kind):
    client = HttpsClient(raise_request_exception=False, enforce_csrf_checks=True)
    client.get(FORM_URL)  # a CSRF cookie, so the token check reads the body (where Django's 500 came from)
    token = client.cookies["csrftoken"].value
    fields = f"csrfmiddlewaretoken={token}&username=a&password=b&first_name=Ana"
    multipart = f'--x\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n--x--\r\n'
    body = (fields if "urlencoded" in kind else multipart).encode()
    response = client.generic("POST", url, body, content_type=f"{kind}; charset={charset}")
    assert response.status_code == 400
    assert "This request could not be read" in response.content.decode()
    assert_secure_headers(response)


def test_a_body_that_says_utf_8_is_read(client, valid_data):
    for name in ("UTF-8", "utf-8"):
        body = urlencode({**valid_data, "form_token": str(uuid.uuid4())})
        response = client.post(FORM_URL, body, content_type=f"application/x-www-form-urlencoded; charset={name}")
        assert response.status_code == 302, name


def test_a_malformed_content_length_is_a_400(client):
    response = client.post(FORM_URL, b"", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="-5")
    assert response.status_code == 400
