"""With DEBUG off, staff sign in with a password and a second factor: a code from an authenticator app (TOTP),
or a one-time recovery code. A new superuser's first sign-in takes one command."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse, reverse_lazy
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from clinic import settings as project_settings
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse_lazy("admin:login")


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    settings.OTP_REQUIRED = True
    settings.AUTHENTICATION_BACKENDS = project_settings.AUTHENTICATION_BACKENDS


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", password="right-password", is_staff=True, is_superuser=True)


def sign_in(client, token: str = "", password: str = "right-password"):
    data = {"username": "clerk", "password": password, "otp_token": token, "next": reverse("admin:index")}
    return client.post(LOGIN_URL, data)


def code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_the_second_factor_is_required_exactly_when_debug_is_off():
    code = "from django.conf import settings; print(settings.OTP_REQUIRED)"
    production = manage("shell", "--no-imports", "-c", code, SECRET_KEY="x" * 50)
    development = manage("shell", "--no-imports", "-c", code, DEBUG="1")
    assert (production.stdout.strip(), development.stdout.strip()) == ("True", "False")


def test_the_sign_in_page_asks_for_the_code(client):
    page = client.get(LOGIN_URL).content.decode()
    assert 'name="otp_token"' in page
    assert "Code from your authenticator app, or a recovery code" in page


def test_a_password_alone_does_not_sign_in(client, clerk):
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    response = sign_in(client)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_password_and_the_authenticator_code_sign_in(client, clerk):
    device = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    response = sign_in(client, code_now(device))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused_and_recorded(client, clerk):
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    assert sign_in(client, "000000").status_code == 200
    assert "_auth_user_id" not in client.session
    refused = AuditEvent.objects.get(subject="account")
    assert (refused.username, refused.outcome, refused.detail) == ("clerk", "denied", "second factor refused")


def test_a_session_without_the_second_factor_does_not_open_the_admin(client, clerk):
    client.force_login(clerk)  # a password-only session, as before the second factor was required
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(str(LOGIN_URL))


def test_a_new_superusers_first_sign_in_takes_one_command(client):
    """createsuperuser, then `manage.py addstatictoken <name>`: a one-time code to sign in and add an authenticator."""
    call_command("createsuperuser", username="clerk", email="c@example.com", interactive=False, stdout=io.StringIO())
    user = User.objects.get(username="clerk")
    user.set_password("right-password")
    user.save()
    out = io.StringIO()
    call_command("addstatictoken", "clerk", stdout=out)
    recovery_code = out.getvalue().strip()
    assert sign_in(client, recovery_code).status_code == 302
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 200  # where the authenticator is added
    client.logout()
    assert sign_in(client, recovery_code).status_code == 200, "a recovery code works once"


def test_recovery_codes_sign_in_when_the_phone_is_lost(client, clerk):
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    device = StaticDevice.objects.create(user=clerk, name="recovery codes")
    device.token_set.create(token="k7m2p9qx")
    assert sign_in(client, "k7m2p9qx").status_code == 302


def test_the_lockout_still_counts_with_the_second_factor_on(client, clerk, settings):
    device = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, password="wrong")
    assert sign_in(client, code_now(device)).status_code == 429
