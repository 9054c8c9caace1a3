"""A patient who reads only Spanish: every page at /es/, the form's messages as SPEC.md words them, the
thank-you page and the confirmation email in Spanish; the front desk sees which language to call back in."""

import csv
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from appointments.models import AppointmentRequest
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db

FORM = "/es/appointments/request/"
# SPEC.md's Spanish section, verbatim.
LABELS = {
    "first_name": "Nombre *",
    "last_name": "Apellido *",
    "phone": "Teléfono *",
    "email": "Correo electrónico *",
    "new_patient": "¿Es paciente nuevo? *",
    "preferred_day": "Día preferido *",
    "preferred_time": "Hora preferida *",
    "message": "Motivo de la visita / comentarios",
}
REQUIRED = {
    "first_name": "Por favor, escriba su nombre.",
    "last_name": "Por favor, escriba su apellido.",
    "phone": "Por favor, escriba su número de teléfono.",
    "email": "Por favor, escriba su correo electrónico.",
    "new_patient": "Por favor, elija una opción.",
    "preferred_day": "Por favor, elija una opción.",
    "preferred_time": "Por favor, elija una opción.",
}


def text(response) -> str:
    """The page as a patient reads it: tags gone, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def label_of(page: str, field: str) -> str:
    match = re.search(
        rf'<(?:label|legend)[^>]*(?:for="id_{field}"|id="id_{field}_legend")[^>]*>(.*?)</(?:label|legend)>', page, re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_spanish_form_reads_as_spec_md_words_it(client):
    response = client.get(FORM)
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert {field: label_of(page, field) for field in LABELS} == LABELS
    shown = text(response)
    for words in ("Información personal", "* Indica un campo obligatorio", "Cita preferida"):
        assert words in shown


def test_a_spanish_form_sent_empty_gets_every_message_in_spanish(client):
    response = client.post(FORM, {"phone": "", "email": ""})
    assert response.status_code == 200
    shown = text(response)
    assert "Hay un problema" in shown
    for field, message in REQUIRED.items():
        assert f"Error: {message}" in shown, field
    # The browser script reads the same Spanish words from the page.
    assert 'data-msg-required="Por favor, escriba su apellido."' in response.content.decode()
    assert AppointmentRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("phone", "message"),
    [("12", "Este no es un número de teléfono válido."), ("555-123-4567", "El número que escribió no es válido.")],
)
def test_a_wrong_phone_number_is_explained_in_spanish(client, valid_data, phone, message):
    assert f"Error: {message}" in text(client.post(FORM, {**valid_data, "phone": phone}))


def test_a_wrong_email_is_explained_in_spanish(client, valid_data):
    shown = text(client.post(FORM, {**valid_data, "email": "maria@"}))
    assert "Error: Esta no es una dirección de correo electrónico válida." in shown


def test_a_spanish_request_is_stored_with_its_language_and_thanked_in_spanish(client, valid_data):
    response = client.post(FORM, valid_data, follow=True)
    assert response.redirect_chain[0][0] == "/es/appointments/thanks/"
    request = AppointmentRequest.objects.get()
    assert (request.language, request.source_path) == ("es", FORM)
    shown = text(response)
    assert request.reference in shown
    assert "911" in shown and 'lang="es"' in response.content.decode()
    assert "Thank you" not in shown


def test_an_english_request_is_stored_as_english(client, valid_data):
    client.post("/appointments/request/", valid_data)
    assert AppointmentRequest.objects.get().language == "en"


def test_the_patient_s_email_is_in_spanish_and_the_staff_email_stays_in_english(
    client, valid_data, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CLINIC_NOTIFY_EMAIL = "inbox@clinic.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FORM, valid_data)
    sent = {message.to[0]: message for message in mail.outbox}
    patient, staff = sent[valid_data["email"]], sent["inbox@clinic.example"]
    reference = AppointmentRequest.objects.get().reference
    assert patient.subject.startswith("Recibimos su solicitud de cita")
    assert f"Su número de referencia es {reference}." in patient.body
    assert "de lunes a viernes, de 8:00 a 17:00" in patient.body  # the clinic's hours, in Spanish
    assert staff.subject == "New appointment request on the website"
    assert valid_data["first_name"] not in staff.body


def test_every_patient_page_names_its_language_and_links_to_the_other(client):
    for english in ("/", "/articles/", "/appointments/request/", "/privacy/", "/accessibility/"):
        spanish = f"/es{english}"
        page = client.get(spanish).content.decode()
        assert '<html lang="es">' in page
        assert f'<a class="language-link" href="{english}" hreflang="en" lang="en">English</a>' in page
        assert f'<link rel="alternate" hreflang="en" href="http://testserver{english}">' in page
        page = client.get(english).content.decode()
        assert '<html lang="en">' in page
        assert f'<a class="language-link" href="{spanish}" hreflang="es" lang="es">Español</a>' in page
        assert f'<link rel="alternate" hreflang="es" href="http://testserver{spanish}">' in page


def test_a_page_that_does_not_exist_is_explained_in_spanish(client):
    response = client.get("/es/no-existe/")
    assert response.status_code == 404
    assert '<html lang="es">' in response.content.decode()
    assert "Page not found" not in text(response)
    assert 'hreflang="en" href' not in response.content.decode().split("<body")[0]  # no alternate of nothing


def test_the_admin_stays_in_english_for_a_spanish_browser(client, staff):
    client.force_login(staff("Front desk"))
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en"' in response.content.decode()
    assert "Appointment requests" in text(response) and "Solicitudes" not in text(response)


def test_the_front_desk_sees_filters_and_exports_the_patient_s_language(client, staff, make_request):
    make_request(first_name="Lucía", language="es")
    make_request(first_name="Ann", language="en")
    client.force_login(staff("Front desk"))
    changelist = admin_url("appointments_appointmentrequest_changelist")
    listed = client.get(changelist, {"language__exact": "es"})
    assert "Lucía" in text(listed) and "Ann" not in text(listed)
    assert "Spanish" in text(listed)
    rows = list(
        csv.DictReader(io.StringIO(client.post(reverse("admin:appointments_export")).content.decode("utf-8-sig")))
    )
    assert {row["First name"]: row["Language"] for row in rows} == {"Lucía": "Spanish", "Ann": "English"}


def test_a_request_refused_at_the_edge_is_explained_in_spanish_under_es(client):
    response = client.post(
        FORM, "first_name=Mar%C3%ADa", content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 400
    assert '<html lang="es">' in response.content.decode()
    assert (
        '<html lang="en">'
        in client.post("/appointments/request/", "x=1", content_type="text/plain; charset=utf-16").content.decode()
    )


def test_the_address_alone_names_the_language_never_the_browser_s_preference(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="es", HTTP_COOKIE="django_language=es")
    spanish = client.get("/es/", HTTP_ACCEPT_LANGUAGE="en")
    assert (english["Content-Language"], spanish["Content-Language"]) == ("en", "es")
    assert '<html lang="en">' in english.content.decode()
    assert "Accept-Language" not in english.get("Vary", "")  # so a shared cache keeps one copy of each page


def test_a_spanish_page_leaves_nothing_behind_for_what_the_worker_does_next(client):
    client.get("/es/")
    assert translation.get_language() == "en"
