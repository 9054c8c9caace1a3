import io
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from importlib import import_module

import pytest
import redis
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from appointments.models import AppointmentRequest
from articles.models import Article
from bench import s3
from bench.s3 import moto_server
from clinic import page_cache
from tests.postgres import postgres_reachable, postgres_server_url, with_database


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Hashed static file names need collectstatic; tests use the plain storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PHONE_REGION = "US"
    settings.EMAIL_CHECK_DELIVERABILITY = False
    settings.APPOINTMENT_RATE_LIMIT = "5/10m"
    # Uploaded and generated images go to a throw-away folder, never the checkout's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
    # django-axes' backend refuses authenticate() without a request, which the test
    # client's login() does; tests/test_admin_login.py puts it back and tests the lockout.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    # force_login() gives no second factor; tests/test_staff_second_factor.py turns it back on.
    settings.OTP_REQUIRED = False
    # Tasks run at once, in the test (after commit: see django_capture_on_commit_callbacks).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_caches(settings):
    # Every test starts with an empty page cache (rate-limit counters live in the
    # database cache, rolled back with each test) and sees article changes at
    # once (no per-worker version memo).
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    page_cache.clear()


@pytest.fixture(autouse=True)
def _transactional_tests_leave_the_trail_empty(request):
    """A transactional test ends with Django's flush, which on SQLite deletes row by row, and the trail's
    append-only trigger refuses that; so its events go first, the trigger lifted for that moment only.
    (PostgreSQL's flush is TRUNCATE, which row triggers do not see.)"""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    if connection.vendor == "sqlite":
        create, drop = import_module("audit.migrations.0003_append_only").TRIGGERS["sqlite"]
        with connection.cursor() as cursor:
            cursor.execute(drop[1])
            cursor.execute("DELETE FROM appointments_auditevent")
            cursor.execute(create[1])


@pytest.fixture
def make_article(db) -> Callable[..., Article]:
    counter = iter(range(1, 10_000))

    def make(**overrides) -> Article:
        n = next(counter)
        fields = {
            "title": f"Article {n}",
            "slug": f"article-{n}",
            "summary": f"Summary of article {n}.",
            "body": f"<p>Body of article {n}.</p>",
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(days=n),
        }
        fields.update(overrides)
        return Article.objects.create(**fields)

    return make


@pytest.fixture
def valid_data() -> dict[str, str]:
    """What a patient typically sends: a US number written the way people write it."""
    return {
        "first_name": "Maria",
        "last_name": "Gonzalez",
        "phone": "(202) 555-0143",
        "email": "maria.gonzalez@example.com",
        "new_patient": "yes",
        "preferred_day": "tuesday",
        "preferred_time": "morning",
        "message": "Follow-up about fatigue.",
        "form_token": "6f1c1c1e-8f7a-4c5e-9d57-2b1f0b2c9a11",
    }


@pytest.fixture
def make_request(db) -> Callable[..., AppointmentRequest]:
    """A stored request; `created_at` / `updated_at` overrides are applied after the insert."""

    def make(**overrides) -> AppointmentRequest:
        times = {key: overrides.pop(key) for key in ("created_at", "updated_at") if key in overrides}
        fields = {
            "first_name": "Ana",
            "last_name": "Lopez",
            "phone": "+12025550100",
            "email": "ana@example.com",
            "new_patient": True,
            "preferred_day": "monday",
            "preferred_time": "morning",
            "source_path": "/appointments/request/",
            "submission_token": uuid.uuid4(),
        }
        appointment = AppointmentRequest.objects.create(**(fields | overrides))
        if times:
            AppointmentRequest.objects.filter(pk=appointment.pk).update(**times)
            appointment.refresh_from_db()
        return appointment

    return make


@pytest.fixture
def roles(db):
    call_command("setup_roles", stdout=io.StringIO())


@pytest.fixture
def staff(roles) -> Callable[[str], User]:
    """A staff user in the named group ("Front desk", "Editors"), created once per name."""

    def make(group_name: str, username: str | None = None) -> User:
        username = username or group_name.lower().replace(" ", "-")
        user, _created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


def _database_server_missing(what: str, where: str) -> None:
    """Skip on a laptop without the server; fail in CI, where it must be there."""
    message = f"{what} is not reachable at {where}"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{message} (CI=true: a database-server test may not be skipped)")
    pytest.skip(f"{message}: database-server test skipped (CI=true makes this a failure)")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """URL of a PostgreSQL server this test may create scratch databases on."""
    url = postgres_server_url()
    if not postgres_reachable(url):
        _database_server_missing("PostgreSQL", url.rsplit("@", 1)[-1])
    return url


def pytest_sessionstart(session: pytest.Session) -> None:
    # A PostgreSQL DATABASE_URL that does not answer stops the run at once, loudly.
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and not postgres_reachable(with_database(url, "postgres")):
        pytest.exit(f"DATABASE_URL points at PostgreSQL, which is not reachable at {url.rsplit('@', 1)[-1]}", 3)


# Property-based tests: bounded runtime, no per-example deadline (a shared CI machine is slow now and then).
hypothesis_settings.register_profile("dev", max_examples=40, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=150, deadline=None, print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev")
)


@pytest.fixture(scope="session")
def redis_server() -> str:
    """URL of a Redis server this test may write keys under its own prefix to."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError:
        _database_server_missing("Redis", url.rsplit("@", 1)[-1])
    return url


@pytest.fixture
def private_redis():
    """A redis-server of this test's own on a free port (bench.redis_server), stopped afterwards."""
    from bench.redis_server import PrivateRedis

    try:
        server = PrivateRedis()
    except FileNotFoundError:
        _database_server_missing("redis-server", "PATH")
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory) -> Iterator[str]:
    """A private S3-compatible server (moto's server mode) on loopback for this test session."""
    with moto_server(tmp_path_factory.mktemp("moto") / "moto.log") as endpoint:
        yield endpoint


@pytest.fixture
def s3_media(settings, monkeypatch, s3_endpoint) -> str:
    """Uploads go to a new bucket on the S3 test server, configured as a deployer would; yields the bucket."""
    bucket = s3.new_bucket(s3_endpoint)
    for name, value in s3.site_env(s3_endpoint, bucket).items():
        monkeypatch.setenv(name, value)
    # What clinic/settings.py builds from those variables (tests/test_article_pictures_on_s3.py checks that too).
    options = {"bucket_name": bucket, "endpoint_url": s3_endpoint, "region_name": s3.REGION}
    media = {"BACKEND": "clinic.storage.S3MediaStorage", "OPTIONS": options}
    settings.STORAGES = {**settings.STORAGES, "default": media}
    return bucket
