"""Staff sign-in is locked after repeated failures (by account, by address, and the pair), every sign-in and
sign-out is in the audit trail, and staff sessions end when idle or after a working day."""

import time

import pytest
from django.contrib.auth.models import User
from django.urls import reverse, reverse_lazy

from accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from audit.models import AuditEvent
from clinic import settings as project_settings
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse_lazy("admin:login")


@pytest.fixture(autouse=True)
def _production_backends(settings):
    """The project's real sign-in backends, axes first (conftest swaps it out for the test client)."""
    settings.AUTHENTICATION_BACKENDS = project_settings.AUTHENTICATION_BACKENDS
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", password="right-password", is_staff=True)


def sign_in(client, password: str, username: str = "clerk", address: str = "127.0.0.1"):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    return client.post(LOGIN_URL, data, REMOTE_ADDR=address, HTTP_USER_AGENT="Front desk PC")


def sign_ins() -> list[tuple[str, str, str]]:
    events = AuditEvent.objects.filter(subject="account").order_by("pk")
    return list(events.values_list("username", "action", "outcome"))


def test_the_right_password_signs_in(client, clerk):
    response = sign_in(client, "right-password")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, clerk, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    again = sign_in(client, "right-password")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_from_many_addresses_lock_the_account(client, clerk, settings):
    for n in range(settings.AXES_FAILURE_LIMIT + 3):
        sign_in(client, "wrong", address=f"198.51.100.{n + 1}")
    assert sign_in(client, "right-password", address="203.0.113.50").status_code == 429
    assert "_auth_user_id" not in client.session


def test_many_accounts_tried_from_one_address_lock_the_address(client, clerk, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", username=f"guess-{n}", address="198.51.100.66")
    assert sign_in(client, "right-password", address="198.51.100.66").status_code == 429
    assert sign_in(client, "right-password", address="203.0.113.50").status_code == 302  # the clerk, elsewhere


def test_a_few_mistakes_then_success_starts_the_count_again(client, clerk, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "right-password").status_code == 302
    client.logout()
    assert sign_in(client, "wrong").status_code == 200


def test_sign_in_sign_out_failures_and_lockout_are_in_the_trail(client, clerk, settings):
    assert sign_in(client, "right-password").status_code == 302
    client.post(reverse("admin:logout"))
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    assert sign_ins()[:3] == [("clerk", "sign-in", "ok"), ("clerk", "sign-out", "ok"), ("clerk", "sign-in", "denied")]
    assert ("clerk", "sign-in", "locked") in sign_ins()
    first = AuditEvent.objects.filter(subject="account").earliest("pk")
    assert (first.client_address, first.user_agent) == ("127.0.0.1", "Front desk PC")


def test_a_password_typed_in_the_username_box_never_reaches_the_trail(client, clerk):
    sign_in(client, "whatever", username="right-password")
    assert sign_ins() == [("(no such account)", "sign-in", "denied")]
    assert "right-password" not in repr(list(AuditEvent.objects.values()))


def test_staff_sessions_are_capped_at_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert project_settings.SESSION_IDLE_MINUTES == 30


def age_session(client, *, idle_seconds: int = 0, signed_in_seconds: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - idle_seconds
    session[SIGNED_IN_AT] = now - signed_in_seconds
    session.save()


def test_half_an_hour_without_a_request_signs_the_clerk_out(client, clerk):
    sign_in(client, "right-password")
    age_session(client, idle_seconds=29 * 60)
    assert client.get(reverse("admin:index")).status_code == 200
    age_session(client, idle_seconds=31 * 60)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(str(LOGIN_URL))
    assert "_auth_user_id" not in client.session
    signed_out = AuditEvent.objects.get(action="sign-out")
    assert signed_out.detail == "idle for more than 30 minutes"


def test_a_busy_day_still_ends_after_eight_hours(client, clerk, settings):
    sign_in(client, "right-password")
    age_session(client, idle_seconds=60, signed_in_seconds=settings.SESSION_COOKIE_AGE + 60)
    assert client.get(reverse("admin:index")).status_code == 302
    assert AuditEvent.objects.get(action="sign-out").detail == "signed in for more than 8 hours"


def test_the_idle_time_follows_its_setting(client, clerk, settings):
    settings.SESSION_IDLE_MINUTES = 5
    sign_in(client, "right-password")
    age_session(client, idle_seconds=6 * 60)
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_messages_stay_in_the_session_never_in_a_cookie(client, make_request):
    admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    appointment = make_request(first_name="Zoë", last_name="Cookiename")
    url = reverse("admin:appointments_appointmentrequest_change", args=[appointment.pk])
    response = client.post(url, change_form_data(status="contacted"))
    assert response.status_code == 302
    assert "messages" not in client.cookies
    assert "Cookiename" not in repr({name: morsel.value for name, morsel in client.cookies.items()})
    assert "was changed successfully" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example"]
)
def test_signing_in_never_sends_the_browser_to_another_site(client, clerk, elsewhere):
    data = {"username": "clerk", "password": "right-password", "next": elsewhere}
    response = client.post(LOGIN_URL, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
