"""`check --deploy` tells a deployer, by variable, each production setting left missing or unsafe."""

import pytest
from django.core.checks import run_checks

from operations.checks import is_placeholder_address

GOOD = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SITE_URL": "https://www.riverside-clinic.org",
    "DEFAULT_FROM_EMAIL": "Riverside Family Clinic <website@riverside-clinic.org>",
    "CLINIC_NOTIFY_EMAIL": "inbox@riverside-clinic.org",
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
}


@pytest.fixture
def production(settings):
    for name, value in GOOD.items():
        setattr(settings, name, value)
    return settings


def clinic_issues() -> list[str]:
    return [f"{m.id} {m.msg}" for m in run_checks(include_deployment_checks=True, tags=["clinic"])]


def test_a_configured_site_reports_nothing(production):
    assert clinic_issues() == []


def test_these_checks_run_only_with_deploy(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert run_checks(tags=["clinic"]) == []


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy", "filebased"], ids=lambda name: f"{name} backend")
def test_a_development_mail_backend_names_email_url(production, backend):
    production.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
    [issue] = clinic_issues()
    assert issue.startswith("clinic.W001 EMAIL_URL is not set to a mail server")


@pytest.mark.parametrize(
    "site_url",
    [
        "http://127.0.0.1:8000",  # unset: the default
        "http://www.riverside-clinic.org",  # not https
        "https://localhost",
        "https://127.0.0.1",
        "https://[::1]:8443",
        "https://clinic.localhost",
        "https://0.0.0.0",
        "www.riverside-clinic.org",  # no scheme
    ],
)
def test_site_url_unset_not_https_or_local_is_named(production, site_url):
    production.SITE_URL = site_url
    [issue] = clinic_issues()
    assert issue.startswith(f"clinic.W002 SITE_URL is {site_url!r}")


@pytest.mark.parametrize("variable", ["DEFAULT_FROM_EMAIL", "CLINIC_NOTIFY_EMAIL"])
def test_a_placeholder_address_is_named_by_its_variable(production, variable):
    setattr(production, variable, "webmaster@localhost")
    [issue] = clinic_issues()
    assert issue.startswith(f"clinic.W003 {variable} is ")


def test_clinic_notify_email_unset_means_the_clinics_contact_address(production):
    production.CLINIC_NOTIFY_EMAIL = ""
    assert clinic_issues() == []


@pytest.mark.parametrize(
    ("address", "placeholder"),
    [
        ("webmaster@localhost", True),
        ("frontdesk@clinic.example", True),
        ("Clinic <a@b.test>", True),
        ("someone@example.com", True),
        ("no-address-at-all", True),
        ("Clinic <website@riverside-clinic.org>", False),
        ("frontdesk@example.clinic", False),
    ],
)
def test_which_addresses_are_placeholders(address, placeholder):
    assert is_placeholder_address(address) is placeholder


def test_tasks_run_inside_the_request_are_named(production):
    production.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    [issue] = clinic_issues()
    assert issue.startswith("clinic.W005 TASKS_BACKEND")
