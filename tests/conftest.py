import os
from collections.abc import Callable
from datetime import timedelta

import pytest
import redis
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from articles.models import Article
from bench.harness import postgres_reachable, postgres_server_url, with_database


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Hashed static file names need collectstatic; tests use the plain storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PHONE_REGION = "US"
    settings.EMAIL_CHECK_DELIVERABILITY = False
    settings.APPOINTMENT_RATE_LIMIT = "5/10m"


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
