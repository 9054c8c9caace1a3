"""Per-client limit on stored appointment requests, counted in the shared cache."""

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

_RATE = re.compile(r"(\d+)/(\d*)([smhd])", re.IGNORECASE)  # read as django-ratelimit did: "5/10min" is 5/10m
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def parse_rate(rate: str) -> tuple[int, int]:
    """A rate such as "5/10m" as (5, 600): requests allowed, in how many seconds."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ImproperlyConfigured(f"APPOINTMENT_RATE_LIMIT {rate!r} is not like 5/10m (units s, m, h, d).")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNIT_SECONDS[unit.lower()]


def over_limit(request: HttpRequest) -> bool:
    """Count one stored submission for this client; True once it is past the limit.

    Fixed windows, one cache key per client and window, keyed by a hash: no
    address is stored. Call it inside the transaction that stores the request
    (appointments.services.submit_request): on the database cache the count is
    then read and written, or rolled back, with the request itself (and on
    SQLite under the same write lock). Redis counts with its atomic INCR.
    """
    limit, period = parse_rate(settings.APPOINTMENT_RATE_LIMIT)
    now = int(time.time())
    window = now - now % period
    timeout = window + period - now + 5  # the window's end, and a margin for servers' clocks
    digest = hashlib.sha256(f"appointments.submit|{window}|{client_ip(request)}".encode()).hexdigest()
    key = f"rl:{digest}"
    cache = caches[settings.RATELIMIT_USE_CACHE]
    if isinstance(cache, DatabaseCache):
        # One read and one write. (Its incr() would do the same but reset the expiry to the default.)
        count = (cache.get(key) or 0) + 1
        if count <= limit:
            cache.set(key, count, timeout)
        return count > limit
    try:
        count = cache.incr(key)
    except ValueError:  # the client's first request in this window
        count = 1 if cache.add(key, 1, timeout) else cache.incr(key)
    return count > limit
