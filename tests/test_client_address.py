"""One client, one allowance: forged X-Forwarded-For entries and the many addresses of one IPv6 /64 count once,
for the form's rate limit and the sign-in lockout alike (clinic.client_address.client_ip)."""

import uuid

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from clinic import settings as project_settings
from clinic.client_address import client_ip

FORM_URL = "/appointments/request/"


def ip(settings, proxies: int, remote: str = "10.0.0.1", forwarded: str | None = None) -> str:
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert ip(settings, 0, forwarded="203.0.113.9") == "10.0.0.1"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    assert ip(settings, 1, forwarded="198.51.100.1, 203.0.113.9") == "203.0.113.9"
    assert ip(settings, 2, forwarded="198.51.100.1, 203.0.113.9, 192.0.2.4") == "203.0.113.9"


@pytest.mark.parametrize("junk", ["not-an-ip-1", "not-an-ip-2", "", "unknown", "203.0.113.9:443", "<script>"])
def test_entries_that_are_not_addresses_are_ignored(settings, junk):
    assert ip(settings, 1, forwarded=junk) == "10.0.0.1"
    assert ip(settings, 1, forwarded=f"203.0.113.9, {junk}") == "203.0.113.9"


def test_an_ipv6_client_is_its_slash_64(settings):
    one_home = {ip(settings, 0, remote=f"2001:db8:1:2:{n:x}::{n:x}") for n in range(1, 50)}
    assert one_home == {"2001:db8:1:2::"}
    assert ip(settings, 0, remote="2001:db8:1:3::1") == "2001:db8:1:3::"
    assert ip(settings, 1, forwarded="2001:db8:1:2:aaaa::1") == "2001:db8:1:2::"


def test_an_ipv4_mapped_address_is_the_ipv4_client(settings):
    assert ip(settings, 0, remote="::ffff:203.0.113.9") == "203.0.113.9"


@pytest.mark.django_db
def test_forged_headers_share_one_allowance_on_the_form(client, valid_data, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.APPOINTMENT_RATE_LIMIT = "2/10m"
    statuses = [
        client.post(
            FORM_URL, {**valid_data, "form_token": str(uuid.uuid4())}, HTTP_X_FORWARDED_FOR=f"not-an-ip-{n}"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]


@pytest.mark.django_db
def test_addresses_of_one_slash_64_share_one_allowance_on_the_form(client, valid_data, settings):
    settings.APPOINTMENT_RATE_LIMIT = "2/10m"
    statuses = [
        client.post(
            FORM_URL, {**valid_data, "form_token": str(uuid.uuid4())}, REMOTE_ADDR=f"2001:db8:7:7::{n}"
        ).status_code
        for n in range(1, 5)
    ]
    assert statuses == [302, 302, 429, 429]


@pytest.mark.django_db
def test_addresses_of_one_slash_64_share_one_count_at_sign_in(client, settings):
    settings.AUTHENTICATION_BACKENDS = project_settings.AUTHENTICATION_BACKENDS
    User.objects.create_user("clerk", password="right-password", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        data = {"username": f"guess-{n}", "password": "wrong"}
        client.post(reverse("admin:login"), data, REMOTE_ADDR=f"2001:db8:9:9::{n + 1}")
    response = client.post(
        reverse("admin:login"), {"username": "clerk", "password": "right-password"}, REMOTE_ADDR="2001:db8:9:9::abcd"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
