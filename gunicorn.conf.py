"""gunicorn settings for the clinic site: `gunicorn -c gunicorn.conf.py clinic.wsgi`.

Every value can be changed from the environment; the README lists the variables.
"""

import multiprocessing
import os

wsgi_app = "clinic.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
# A request that takes longer than this is stuck: the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak can never take the site down.
max_requests = 1000
max_requests_jitter = 100

# X-Forwarded-Proto is trusted by Django alone, and only with BEHIND_TLS_PROXY=1
# (SECURE_PROXY_SSL_HEADER); gunicorn itself trusts no forwarding header.
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = ""

# Django logs one key=value line per request (clinic.middleware.RequestLogMiddleware),
# so gunicorn's own access log is off unless GUNICORN_ACCESS_LOG names a file or "-".
# When on, it is structured too and holds the path only: never the query string
# (%(q)s, %(r)s) or the body.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = (
    'method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s duration_ms=%(M)s request_id=%({x-request-id}o)s'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
