"""`manage.py check --deploy` names each production setting that is missing or unsafe, by its environment variable.

Django's own deployment checks cover DEBUG, SECRET_KEY, HTTPS and cookies; these cover
what only this site knows: where mail goes and from whom, the address in its links, and
that emails leave the patient's request. (The clinic's contact details are edited in the
admin, whose index warns while they are the demo clinic's.)
"""

import ipaddress
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, register
from django.core.checks import Warning as DeployWarning

DEVELOPMENT_MAIL = {
    f"django.core.mail.backends.{name}.EmailBackend" for name in ("console", "locmem", "dummy", "filebased")
}
IN_REQUEST_TASKS = {"django_tasks.backends.immediate.ImmediateBackend", "django_tasks.backends.dummy.DummyBackend"}
# Domains that never receive mail (RFC 2606, RFC 6761).
PLACEHOLDER_DOMAINS = ("example", "test", "invalid", "localhost")


def is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def is_placeholder_address(address: str) -> bool:
    _local, at, domain = parseaddr(address)[1].rpartition("@")
    domain = domain.lower()
    return (
        not at
        or not domain
        or domain.rpartition(".")[2] in PLACEHOLDER_DOMAINS
        or domain in {"example.com", "example.net", "example.org"}
    )


@register("clinic", deploy=True)
def production_settings(app_configs, **kwargs) -> list[CheckMessage]:
    problems = []
    if settings.EMAIL_BACKEND in DEVELOPMENT_MAIL:
        problems.append(
            DeployWarning(
                "EMAIL_URL is not set to a mail server: no email leaves the site, and the console backend prints "
                "patients' addresses into the logs.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.your-provider.com:587.",
                id="clinic.W001",
            )
        )
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https" or not site.hostname or is_local(site.hostname):
        problems.append(
            DeployWarning(
                f"SITE_URL is {settings.SITE_URL!r}: the links in the clinic's emails must be the site's public "
                "https address (not set, not https, or a local address).",
                hint="Set SITE_URL, e.g. https://clinic.your-domain.org.",
                id="clinic.W002",
            )
        )
    # The clinic's own contact details are a record edited in the admin, whose index warns while they are
    # the demo clinic's; these two addresses are settings only.
    addresses = {"DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL, "CLINIC_NOTIFY_EMAIL": settings.CLINIC_NOTIFY_EMAIL}
    for variable, address in addresses.items():
        if address and is_placeholder_address(address):  # CLINIC_NOTIFY_EMAIL unset: the clinic's contact email
            problems.append(
                DeployWarning(
                    f"{variable} is {address!r}, a placeholder address: mail to or from it goes nowhere.",
                    hint=f"Set {variable} to the clinic's real address.",
                    id="clinic.W003",
                )
            )
    if settings.TASKS["default"]["BACKEND"] in IN_REQUEST_TASKS:
        problems.append(
            DeployWarning(
                "TASKS_BACKEND runs tasks inside the patient's request (or never): a slow mail server slows the "
                "form, and nothing is retried.",
                hint="Unset TASKS_BACKEND (the database queue) and run the Procfile's worker.",
                id="clinic.W005",
            )
        )
    return problems
