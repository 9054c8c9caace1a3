from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from pages import page_cache


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


@pytest.fixture(autouse=True)
def _fresh_caches(settings, tmp_path):
    # Every test starts with an empty page cache and its own rate-limit counters,
    # and sees article changes at once (no per-worker version memo).
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    if settings.RATELIMIT_USE_CACHE == "ratelimit":
        ratelimit = {**settings.CACHES["ratelimit"], "LOCATION": str(tmp_path / "ratelimit")}
        settings.CACHES = {**settings.CACHES, "ratelimit": ratelimit}
    page_cache.clear()


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
