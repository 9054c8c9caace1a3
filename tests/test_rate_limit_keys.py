"""Rate-limit counters live in the shared cache under hashed keys: no client IP address is stored."""

import uuid

import pytest
import redis
from django.db import connection

pytestmark = pytest.mark.django_db

FORM_URL = "/appointments/request/"
ADDRESSES = ["203.0.113.77", "198.51.100.23", "2001:db8::7"]


def cache_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM clinic_cache")
        return repr(cursor.fetchall())


@pytest.mark.parametrize("proxies", [0, 1])
def test_rate_limit_keys_and_values_hold_no_ip_address(client, valid_data, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    for address in ADDRESSES:
        data = {**valid_data, "form_token": str(uuid.uuid4())}
        response = client.post(FORM_URL, data, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=address)
        assert response.status_code == 302
    stored = cache_rows()
    assert "ratelimit" in stored.lower() or "rl:" in stored  # the counters are there...
    for address in ADDRESSES:
        assert address not in stored  # ...but not the addresses


def test_with_redis_the_counters_are_shared_and_hold_no_ip_address(client, valid_data, settings, redis_server):
    prefix = f"h6-test-{uuid.uuid4().hex[:8]}"
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_server,
        "KEY_PREFIX": prefix,
    }
    settings.CACHES = {**settings.CACHES, "default": redis_cache, "ratelimit": redis_cache}
    settings.APPOINTMENT_RATE_LIMIT = "1/10m"
    server = redis.Redis.from_url(redis_server)
    try:
        assert client.post(FORM_URL, valid_data, REMOTE_ADDR=ADDRESSES[0]).status_code == 302
        again = {**valid_data, "form_token": str(uuid.uuid4())}
        assert client.post(FORM_URL, again, REMOTE_ADDR=ADDRESSES[0]).status_code == 429
        keys = list(server.scan_iter(f"{prefix}*"))
        assert keys
        stored = repr(keys) + repr([server.get(key) for key in keys])
        assert ADDRESSES[0] not in stored
    finally:
        for key in server.scan_iter(f"{prefix}*"):
            server.delete(key)
