"""Staff sign-in is locked after repeated failures, and staff sessions do not last forever."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.urls import reverse, reverse_lazy

from clinic import settings as project_settings

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


def sign_in(client, password: str):
    return client.post(LOGIN_URL, {"username": "clerk", "password": password, "next": reverse("admin:index")})


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


def test_a_few_mistakes_then_success_starts_the_count_again(client, clerk, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "right-password").status_code == 302
    client.logout()
    assert sign_in(client, "wrong").status_code == 200


def test_staff_sessions_expire():
    assert django_settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
