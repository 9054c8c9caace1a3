"""Just enough Django for the two baseline views: no apps, no middleware.

The database is the site's own configuration (same engine, same SQLite
pragmas), so the bare POST pays the same price for its one insert.
"""

from pathlib import Path

import environ

env = environ.Env()

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.baseline.urls"
WSGI_APPLICATION = "bench.baseline.wsgi.application"
INSTALLED_APPS = ["bench.baseline"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MIDDLEWARE: list[str] = []
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
    }
]
USE_TZ = True
USE_I18N = False

from clinic.settings import DATABASES  # noqa: E402, F401 - the site's database settings, on purpose
