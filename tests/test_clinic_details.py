"""An editor changes the clinic's phone number in the admin; patients see the new one everywhere, with no redeploy."""

import json
import re
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse, reverse_lazy
from django.utils.translation import override
from freezegun import freeze_time

from clinic import details, page_cache
from clinic.admin import MESSAGES
from clinic.models import FIELDS, ClinicDetails
from tests.article_helpers import staff_in

pytestmark = pytest.mark.django_db

ADMIN_URL = reverse_lazy("admin:clinic_clinicdetails_change")
NEW = {
    "name": "Lakeside Health Center",
    "phone": "(202) 555-0199",
    "email": "hello@lakeside.example",
    "address": "9 Lake Road, Springfield",
    "hours": "Monday to Saturday, 7:00 am to 7:00 pm",
    "callback": "the same day",
    "emergency_number": "112",
}


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Editors"))
    return client


def anonymous(url: str) -> str:
    return Client().get(url).content.decode()


def test_the_first_migrate_seeds_the_record_from_the_environment(settings):
    record = ClinicDetails.get_solo()
    assert {field.upper(): getattr(record, field) for field in FIELDS} == settings.CLINIC


def test_an_editor_s_new_details_show_on_every_page_and_in_the_json_ld(editor_client, make_article):
    article = make_article(title="Pacing")
    pages = ["/", "/articles/", article.get_absolute_url(), "/appointments/request/", "/privacy/"]
    for url in pages:
        anonymous(url)  # now in the page cache
    assert editor_client.post(ADMIN_URL, NEW).status_code == 302
    for url in pages:
        page = anonymous(url)
        assert "(202) 555-0199" in page, url
        assert "(555) 010-0142" not in page, url
        assert 'href="tel:+12025550199"' in page, url
    page = anonymous(article.get_absolute_url())
    assert "Lakeside Health Center" in page
    assert "Monday to Saturday, 7:00 am to 7:00 pm" in page
    assert "call 112" in page
    json_ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert json_ld["publisher"]["name"] == "Lakeside Health Center"
    assert "the same day" in anonymous("/appointments/request/")


def test_the_spanish_pages_show_the_sentences_written_in_spanish_and_else_the_english(editor_client):
    anonymous("/es/appointments/request/")  # now in the page cache
    spanish = {"hours_es": "de lunes a sábado, de 7:00 a 19:00", "callback_es": "el mismo día"}
    assert editor_client.post(ADMIN_URL, {**NEW, **spanish}).status_code == 302
    page = anonymous("/es/appointments/request/")
    assert "de lunes a sábado, de 7:00 a 19:00" in page and "el mismo día" in page
    assert "Monday to Saturday" not in page
    assert "Monday to Saturday, 7:00 am to 7:00 pm" in anonymous("/appointments/request/")
    assert editor_client.post(ADMIN_URL, NEW).status_code == 302  # the Spanish left empty
    assert "Monday to Saturday, 7:00 am to 7:00 pm" in anonymous("/es/appointments/request/")


def test_while_the_database_is_down_spanish_pages_never_show_the_demo_s_hours_for_the_clinic_s_own(
    settings, monkeypatch
):
    monkeypatch.setattr(details, "_last_known", None)  # a worker that has not read the record yet
    settings.CLINIC = {**settings.CLINIC, "HOURS": "Monday to Thursday, 9:00 am to 4:00 pm"}  # CLINIC_HOURS alone
    with override("es"):
        assert details.from_environment()["HOURS_ES"] == ""
        assert details.last_known()["HOURS"] == "Monday to Thursday, 9:00 am to 4:00 pm"
    settings.CLINIC = {**settings.CLINIC, "HOURS_ES": "de lunes a jueves, de 9:00 a 16:00"}  # and CLINIC_HOURS_ES
    with override("es"):
        assert details.last_known()["HOURS"] == "de lunes a jueves, de 9:00 a 16:00"


def test_a_change_shows_on_cached_pages_within_the_version_window(settings):
    settings.PAGE_CACHE_VERSION_SECONDS = 1
    with freeze_time("2030-03-01 09:00:00") as clock:
        assert "(555) 010-0142" in anonymous("/")
        ClinicDetails.objects.filter(pk=1).update(phone="(202) 555-0199")  # even without save()
        clock.tick(timedelta(seconds=1.5))
        assert "(202) 555-0199" in anonymous("/")


def test_the_429_page_and_the_emails_give_the_new_details(
    client, valid_data, settings, django_capture_on_commit_callbacks
):
    ClinicDetails.objects.filter(pk=1).update(phone="(202) 555-0199", email="hello@lakeside.example")
    settings.APPOINTMENT_RATE_LIMIT = "1/10m"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/appointments/request/", valid_data).status_code == 302
    over = client.post("/appointments/request/", {**valid_data, "form_token": str(uuid.uuid4())})
    assert over.status_code == 429
    assert "(202) 555-0199" in over.content.decode()
    patient = next(message for message in mail.outbox if message.to == [valid_data["email"]])
    assert "(202) 555-0199" in patient.body
    assert patient.reply_to == ["hello@lakeside.example"]
    staff = next(message for message in mail.outbox if message is not patient)
    assert staff.to == ["hello@lakeside.example"], "no CLINIC_NOTIFY_EMAIL: the contact email gets it"


@contextmanager
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", refuse)
        yield


def test_the_503_page_gives_the_last_known_phone_while_the_database_is_down(monkeypatch):
    ClinicDetails.objects.filter(pk=1).update(phone="(202) 555-0199")
    assert "(202) 555-0199" in anonymous("/")  # this worker read the details
    with database_down(monkeypatch):
        response = Client(raise_request_exception=False).get("/articles/")
    assert response.status_code == 503
    assert "(202) 555-0199" in response.content.decode()


def test_the_400_and_413_pages_give_the_last_known_phone(client):
    ClinicDetails.objects.filter(pk=1).update(phone="(202) 555-0199")
    assert "(202) 555-0199" in anonymous("/")  # this worker read the details
    form = "/appointments/request/"
    too_large = client.post(form, b"", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="314572800")
    unreadable = client.post(form, b"a=b", content_type="application/x-www-form-urlencoded; charset=utf-16")
    for response, status in ((too_large, 413), (unreadable, 400)):
        assert response.status_code == status
        assert "(202) 555-0199" in response.content.decode()
        assert "(555) 010-0142" not in response.content.decode()


def test_a_worker_that_never_read_the_details_falls_back_to_the_environment(monkeypatch, settings):
    monkeypatch.setattr(details, "_last_known", None)
    with database_down(monkeypatch):
        assert details.current() == settings.CLINIC
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert settings.CLINIC["PHONE"] in response.content.decode()


def test_a_phone_number_patients_could_not_dial_is_refused(editor_client):
    response = editor_client.post(ADMIN_URL, {**NEW, "phone": "call us"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phone"] == [MESSAGES["phone"]]
    assert ClinicDetails.get_solo().phone != "call us"


def test_the_admin_index_warns_while_the_details_are_the_demo_ones(editor_client, settings):
    settings.CLINIC_DEMO = dict(settings.CLINIC)  # the record was seeded with these
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "details are still the demo ones" in page
    assert f'href="{ADMIN_URL}"' in page
    editor_client.post(ADMIN_URL, NEW)
    assert "still the demo ones" not in editor_client.get(reverse("admin:index")).content.decode()


def test_only_editors_and_superusers_change_the_details(client, admin_user):
    client.force_login(staff_in("Front desk"))
    assert client.get(ADMIN_URL).status_code == 403
    assert client.post(ADMIN_URL, NEW).status_code == 403
    client.force_login(admin_user)
    assert client.post(ADMIN_URL, NEW).status_code == 302
    assert ClinicDetails.get_solo().phone == NEW["phone"]


def test_nobody_adds_or_deletes_the_record(admin_user, client):
    client.force_login(admin_user)
    assert client.get(f"{ADMIN_URL}add/").status_code in (403, 404, 302)
    assert client.post(f"{ADMIN_URL}1/delete/", {"post": "yes"}).status_code in (403, 404, 302)
    assert ClinicDetails.objects.count() == 1


def test_the_details_are_read_on_their_own_when_not_a_page_cache_version_part(settings):
    settings.PAGE_CACHE_VERSIONS = ["articles.models.content_version_sql"]
    page_cache.clear()
    ClinicDetails.objects.filter(pk=1).update(phone="(202) 555-0199")
    assert details.current()["PHONE"] == "(202) 555-0199"
    ClinicDetails.objects.all().delete()  # a flushed test database
    assert details.current() == settings.CLINIC
