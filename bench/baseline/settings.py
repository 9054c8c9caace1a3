"""Just enough Django for the two baseline views: no apps, no middleware.

The database has the settings Django gives a new project: the engine and
database from BASELINE_DATABASE_URL and nothing more (SQLite in its default
rollback-journal mode, a connection per request). That is the bare POST the
issue's anchors describe (about 490 requests/s, 0.22x the bare GET, on this
kind of machine); the site's own tuning (WAL, synchronous=NORMAL, persistent
connections) is part of what the site does to be fast, as its page cache is.

With BASELINE_SITE_DATABASE=1 the views use the site's own database settings
instead; run.py measures that bare POST too and prints it for information.
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

if env.bool("BASELINE_SITE_DATABASE", default=False):
    from clinic.settings import DATABASES  # the site's tuned database settings, for comparison
else:
    DATABASES = {"default": env.db_url("BASELINE_DATABASE_URL")}
