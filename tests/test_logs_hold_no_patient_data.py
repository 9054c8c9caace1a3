"""Every request is logged in one key=value line, and nothing a patient typed reaches any log record."""

import logging
import re
import uuid

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

pytestmark = pytest.mark.django_db

FORM_URL = "/appointments/request/"
PATIENT = {
    "first_name": "Zelphine",
    "last_name": "Quarrington",
    "phone": "(202) 555-0143",
    "email": "zelphine.quarrington@example.org",
    "new_patient": "no",
    "preferred_day": "friday",
    "preferred_time": "afternoon",
    "message": "Sciatica flare since Tuesday",
}
SECRETS = ["Zelphine", "Quarrington", "555-0143", "2025550143", "zelphine", "example.org", "Sciatica"]


def everything_logged(caplog) -> str:
    """Each record as a handler could print it: message, arguments, traceback and extra attributes."""
    formatter = logging.Formatter()
    return "\n".join(formatter.format(record) + repr(vars(record)) for record in caplog.records)


def form(**changes) -> dict:
    return {**PATIENT, "form_token": str(uuid.uuid4()), **changes}


def test_no_log_record_holds_a_name_phone_email_or_message(caplog, settings, monkeypatch):
    caplog.set_level(logging.DEBUG)
    settings.APPOINTMENT_RATE_LIMIT = "2/10m"
    browser = Client(raise_request_exception=False)
    browser.get(FORM_URL, {"q": PATIENT["email"]})
    assert browser.post(FORM_URL, form()).status_code == 302  # valid
    assert browser.post(FORM_URL, form(phone="555-123-4567", email="zelphine@")).status_code == 200  # invalid
    assert browser.post(FORM_URL, form(leave_blank="http://spam.example")).status_code == 302  # spam, kept
    assert browser.post(FORM_URL, form()).status_code == 429  # over the limit
    assert Client(enforce_csrf_checks=True).post(FORM_URL, form()).status_code == 403  # no CSRF token
    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", lambda *a, **k: (_ for _ in ()).throw(OperationalError("down")))
        assert browser.post(FORM_URL, form()).status_code == 503  # database down
    browser.get(f"/articles/?q={PATIENT['last_name']}")

    logged = everything_logged(caplog)
    assert "Forbidden (CSRF" in logged  # Django's own loggers were captured too
    for secret in SECRETS:
        assert secret not in logged


def test_each_request_is_one_key_value_line_without_the_query_string(caplog, client):
    caplog.set_level(logging.INFO, logger="clinic.requests")
    client.get("/articles/", {"q": "fatigue"}, HTTP_X_REQUEST_ID="abc-123")
    client.post(FORM_URL, {})
    lines = [r.getMessage() for r in caplog.records if r.name == "clinic.requests"]
    assert len(lines) == 2
    assert re.fullmatch(r"method=GET path=/articles/ status=200 duration_ms=\d+ request_id=abc-123", lines[0])
    assert re.fullmatch(
        r"method=POST path=/appointments/request/ status=200 duration_ms=\d+ request_id=\w{32}", lines[1]
    )


def test_a_hostile_path_or_request_id_cannot_forge_a_log_line(caplog, client):
    caplog.set_level(logging.INFO, logger="clinic.requests")
    response = client.get("/no%0Apath=/fake status=200/", HTTP_X_REQUEST_ID="x\nlevel=ERROR")
    assert response.status_code == 404
    (line,) = [r.getMessage() for r in caplog.records if r.name == "clinic.requests"]
    assert "\n" not in line
    assert "path=/no%0Apath%3D/fake%20status%3D200/ status=404" in line
    assert "level=ERROR" not in line


def test_error_emails_to_admins_hold_no_patient_data(settings, monkeypatch, mailoutbox):
    settings.ADMINS = [("Site admin", "admin@clinic.example")]

    def broken_submit(*, form, **kwargs):
        patient = form.cleaned_data  # a local variable full of patient data
        raise RuntimeError(f"could not store a request for {len(patient)} fields")

    monkeypatch.setattr("appointments.views.submit_request", broken_submit)
    response = Client(raise_request_exception=False).post(FORM_URL, form())
    assert response.status_code == 500
    (report,) = mailoutbox
    text = report.body + "".join(str(content) for content, _type in getattr(report, "alternatives", []))
    assert "could not store a request" in text
    for secret in SECRETS:
        assert secret not in text


def test_sql_parameters_are_never_logged_even_at_debug_level(settings):
    assert logging.getLogger("django.db.backends").getEffectiveLevel() >= logging.INFO
