"""One settings module for every environment, read from environment variables.

Local development: `DEBUG=1` and nothing else. Production: `DEBUG` unset,
`SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL` set; the README lists the rest.
In order: core, database and caches, security, mail and tasks, logging, the clinic's own.
"""

import base64
import hashlib
import re
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clinic.middleware import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# --- Core ---------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="") or ("django-insecure-local-development-only" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable (or DEBUG=1 for local development only)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "accounts.apps.StaffAdminConfig", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "whitenoise.runserver_nostatic", "django.contrib.staticfiles", "django.contrib.sitemaps",
    "csp", "crispy_forms", "crispy_bootstrap5", "django_prose_editor", "reversion", "django_tasks", "django_tasks_db",
    "axes", "django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static", "solo",
    # Ours: the clinic's details and plumbing, staff accounts, the audit trail, pages, the two apps, operations.
    "clinic", "accounts", "audit", "pages", "articles", "appointments", "operations",
]  # fmt: skip

MIDDLEWARE = [
    "clinic.middleware.RequestLogMiddleware",
    # The header middlewares wrap everything else, so every answer gets them: static files, the HTTPS
    # redirect, a refused host (answered by clinic.edge.AllowedHostMiddleware), a refused body.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clinic.middleware.SitePolicyCSPMiddleware",  # django-csp's, the policy written once
    "clinic.edge.AllowedHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clinic.edge.RequestBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clinic.middleware.LanguageFromAddressMiddleware",  # Django's LocaleMiddleware: /es/… Spanish, else English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"
# The admin lives at ADMIN_URL ("admin/" unless set), e.g. "staff-7f3a/".
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL is empty. Unset it for /admin/, or give a path such as front-desk-7f3a/.")

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [BASE_DIR / "templates"], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages", "clinic.context_processors.clinic",
        "clinic.context_processors.page_cache_placeholders",
    ]},
}]  # fmt: skip
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The patient side speaks English (unprefixed URLs) and Spanish (under /es/); the admin stays in English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
# Where collectstatic writes (each app server's own copy; WhiteNoise serves it).
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images, served at MEDIA_URL by the site itself (clinic/media.py): files in MEDIA_ROOT, or with
# AWS_STORAGE_BUCKET_NAME an S3-compatible bucket (credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
_bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
_s3 = {"bucket_name": _bucket, "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
       "region_name": env.str("AWS_S3_REGION_NAME", default=None)}  # fmt: skip
STORAGES = {
    "default": {"BACKEND": "clinic.storage.S3MediaStorage", "OPTIONS": _s3} if _bucket
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}  # fmt: skip
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
# A file sent to a public page is refused before it is kept (clinic/edge.py); the admin's go on to Django's.
FILE_UPLOAD_HANDLERS = ["clinic.edge.PublicPagesTakeNoFiles", *(f"django.core.files.uploadhandler.{name}"
                        for name in ("MemoryFileUploadHandler", "TemporaryFileUploadHandler"))]  # fmt: skip

# --- Database and caches --------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Keep connections between requests (on SQLite too: each new one registers Django's SQL functions, runs the pragmas).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server processes share one file: WAL lets readers and a writer
    # coexist, IMMEDIATE takes the write lock at BEGIN (so a look-up-then-insert
    # never fails on lock upgrade), and the busy timeout makes writers queue.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" also holds the rate-limit counters, so it is shared by every server: Redis, or the database.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="clinic"),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},  # a dead Redis costs a second, not a worker
    }
else:  # the table is made by migration operations.0001
    _shared_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "clinic_cache"}
CACHES = {
    "default": _shared_cache,
    # The counters get an alias of their own (same store): Django's database cache resets an entry's expiry to
    # the cache's TIMEOUT on incr(), and with the default five minutes a ten-minute window would forget its
    # count. django-ratelimit's keys are per window, so a day outlives any window.
    "ratelimit": {**_shared_cache, "TIMEOUT": 24 * 60 * 60},
    # Whole public pages, rendered once per worker (clinic/page_cache.py). Per-process
    # memory on purpose: a hit costs no network or database round trip; the content
    # version (one query) keeps every worker current.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": env.int("PAGE_CACHE_ENTRIES", default=1000)},
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True  # a cache that fails lets a patient through (docs/operations.md says why)
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# How long a worker trusts the content version before asking the database again.
PAGE_CACHE_VERSION_SECONDS = env.float("PAGE_CACHE_VERSION_SECONDS", default=1.0)
# What cached pages show comes from these: each gives SQL expressions, all asked in one query; any change
# to what they show changes the version (clinic/page_cache.py).
PAGE_CACHE_VERSIONS = ["articles.models.content_version_sql", "clinic.details.version_sql"]

# --- Security -------------------------------------------------------------------
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
# Forms read the CSRF token from the page, so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Staff sessions end after a working day, half an hour without a request, or when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
# The admin's messages name requests: kept in the session (the database), never in a readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer probes each app server over plain HTTP
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# The one inline script on public pages (applies the accessibility choices
# before first paint) is allowed by its hash, so pages need no nonce.
A11Y_PRELOAD_SCRIPT = (BASE_DIR / "static" / "js" / "a11y-preload.js").read_text(encoding="utf-8").strip()
_a11y_preload_hash = base64.b64encode(hashlib.sha256(A11Y_PRELOAD_SCRIPT.encode()).digest()).decode()
# Scripts only from this site, by hash, or inline with the per-response nonce
# (`<script nonce="{{ request.csp_nonce }}">`); nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, f"'sha256-{_a11y_preload_hash}'"],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Nothing on this site needs these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb", "browsing-topics", "interest-cohort",
    )
}  # fmt: skip

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in ("UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                 "NumericPasswordValidator")
]  # fmt: skip
# django-axes locks an account tried from many addresses, an address trying many accounts, and the pair.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_REDIRECT_URL = "admin:index"  # after sign-in, when `next` is missing or points at another site
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "clinic.client_address.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# A second factor (django-otp: an authenticator app, or a recovery code) for every staff sign-in, unless DEBUG.
OTP_REQUIRED = not DEBUG
# How many reverse proxies in front of the site append to X-Forwarded-For.
# 0 (the default) trusts no such header: the client is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Mail and tasks -------------------------------------------------------------
# Console by default; EMAIL_URL such as smtp+tls://user:pass@host:587.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Emails are sent by the Procfile's worker (`manage.py db_worker`), never inside the patient's request.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# A failed email is retried with growing delays, then left for a person to look at.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)

# --- Logging: one key=value line per request, by path only; never form contents ----
LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"keyvalue": {"format": "time=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
                                "datefmt": "%Y-%m-%dT%H:%M:%S%z"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "keyvalue"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Never SQL parameters: django.db.backends stays at INFO even with LOG_LEVEL=DEBUG.
    "loggers": {"django.db.backends": {"level": "INFO"}},
}  # fmt: skip
# Error emails to ADMINS (if ever set) show no form values and no local variables.
DEFAULT_EXCEPTION_REPORTER_FILTER = "clinic.error_reports.PatientDataSafeFilter"

# --- The clinic's own -----------------------------------------------------------
# The clinic's details are one record edited in the admin (clinic.models.ClinicDetails), seeded from
# these on the first migrate; they stand in while the database does not answer. The admin index warns
# while the record still holds the demo clinic's.
CLINIC_DEMO = {
    "NAME": "Riverside Family Clinic", "PHONE": "(555) 010-0142", "EMAIL": "frontdesk@clinic.example",
    "ADDRESS": "120 Riverside Avenue, Suite 200, Springfield", "HOURS": "Monday to Friday, 8:00 am to 5:00 pm",
    "CALLBACK": "within one business day", "EMERGENCY_NUMBER": "911",
    "HOURS_ES": "de lunes a viernes, de 8:00 a 17:00", "CALLBACK_ES": "en un plazo de un día hábil",
}  # fmt: skip
CLINIC = {key: env.str(f"CLINIC_{key}", default=demo) for key, demo in CLINIC_DEMO.items()}
OTP_TOTP_ISSUER = CLINIC["NAME"]  # how staff authenticator apps name this site
# The site's public address, for links in emails (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Where "a request arrived" emails go (unset: the contact email in the clinic's details). A link, never patient details.
CLINIC_NOTIFY_EMAIL = env.str("CLINIC_NOTIFY_EMAIL", default="")
# Region used to read phone numbers written without a +country code.
PHONE_REGION = env.str("PHONE_REGION", default="US")
# email-validator's DNS check; off by default so a form never waits on DNS.
EMAIL_CHECK_DELIVERABILITY = env.bool("EMAIL_CHECK_DELIVERABILITY", default=False)
# django-ratelimit syntax: "5/10m" is five stored requests per client per ten minutes (units s, m, h, d).
APPOINTMENT_RATE_LIMIT = env.str("APPOINTMENT_RATE_LIMIT", default="5/10m")
if not re.fullmatch(r"\d+/\d*[smhd]", APPOINTMENT_RATE_LIMIT.strip(), re.IGNORECASE):
    raise ImproperlyConfigured(
        f"APPOINTMENT_RATE_LIMIT {APPOINTMENT_RATE_LIMIT!r} is not like 5/10m (units s, m, h, d)."
    )
# Requests with the same phone or email this many days apart are flagged as possible duplicates.
APPOINTMENT_DUPLICATE_DAYS = env.int("APPOINTMENT_DUPLICATE_DAYS", default=14)
# Requests dealt with (closed, spam, visit booked) are deleted this many days after their last change.
APPOINTMENT_RETENTION_DAYS = env.int("APPOINTMENT_RETENTION_DAYS", default=90)
# The audit trail is kept this long (HIPAA's six years; longer if set, never shorter), then purge_audit_trail.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=2192)
# Ranked article search: the PostgreSQL full-text search configuration of each language's articles.
ARTICLE_SEARCH_CONFIGS = {"en": env.str("ARTICLE_SEARCH_CONFIG", default="english"), "es": "spanish"}
