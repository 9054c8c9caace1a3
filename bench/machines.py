"""Two app servers (two machines) behind deploy/nginx.conf, sharing one PostgreSQL database, one Redis
and one S3-compatible server: what bench/scaleout.py and tests/test_nginx_in_front.py run against.

Production settings on each (DEBUG off, BEHIND_TLS_PROXY=1, TRUSTED_PROXY_COUNT=1, uploads on S3),
one SECRET_KEY for both as a deployer sets it, each with its own collectstatic output and page
cache. Loopback only; everything it starts it stops, and it drops its database, keys and objects.
"""

import contextlib
import json
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

from bench import s3
from bench.browser import Browser
from bench.harness import free_port, manage, running_site, scratch_database, site_env
from bench.nginx import Edge, running_nginx

ADMIN = ("scaleout-editor", "scaleout-" + secrets.token_hex(8))
FORM_POSTED = "method=POST path=/appointments/request/ status=302"


@dataclass
class Machines:
    edge: Edge
    servers: list[str]  # each app server's own address, as nginx reaches it
    logs: list[Path]
    database_url: str
    s3_endpoint: str
    bucket: str
    version_seconds: float
    static_manifests_equal: bool
    sign_in_code: str  # the editor's one-time recovery code (second factor)

    def through_nginx(self, source: str = "127.0.0.1") -> Browser:
        return Browser(self.edge.url, source=source, cafile=self.edge.certificate)

    def posts_per_server(self) -> list[int]:
        return [log.read_text(errors="replace").count(FORM_POSTED) for log in self.logs]


@contextlib.contextmanager
def running_machines(
    workdir: Path, *, postgres_server: str, redis_url: str, s3_endpoint: str, rate_limit: str = "5/10m",
    collect_each: bool = True,
) -> Iterator[Machines]:  # fmt: skip
    """Two gunicorn servers with production settings behind nginx; one database, Redis prefix and bucket."""
    https_port, prefix = free_port(), "scaleout-" + secrets.token_hex(4)
    bucket = s3.new_bucket(s3_endpoint)
    with scratch_database(workdir, prefix.replace("-", "_"), postgres_server) as database_url:
        env = site_env(
            database_url, workdir, STATIC_ROOT=str(workdir / "static-a"),
            BEHIND_TLS_PROXY="1", TRUSTED_PROXY_COUNT="1", SECURE_COOKIES="1", SECURE_HSTS_SECONDS="31536000",
            # The scale-out script sends pages and POSTs straight to each server over plain HTTP (as if from
            # inside the proxy's network); nginx itself sends plain HTTP to HTTPS.
            SECURE_SSL_REDIRECT="0",
            CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{https_port}",  # a test port; on 443 the host alone matches
            APPOINTMENT_RATE_LIMIT=rate_limit, REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix,
            MEDIA_ROOT=str(workdir / "no-local-media"), DJANGO_SUPERUSER_PASSWORD=ADMIN[1],
            **s3.site_env(s3_endpoint, bucket),
        )  # fmt: skip
        machines = [env, {**env, "STATIC_ROOT": str(workdir / "static-b")}]  # one SECRET_KEY, as a deployer sets
        manage(env, "migrate", "--noinput")
        manage(env, "createsuperuser", "--noinput", "--username", ADMIN[0], "--email", "editor@clinic.example")
        # Sign-in asks for a second factor with DEBUG off: the first sign-in's one-time recovery code.
        sign_in_code = manage(env, "addstatictoken", ADMIN[0]).strip()
        manage(env, "collectstatic", "--noinput")
        if collect_each:
            manage(machines[1], "collectstatic", "--noinput")
        else:  # the same files as collectstatic would write (the test saves 15 s; the script runs it)
            shutil.copytree(workdir / "static-a", workdir / "static-b")
        manifests = [json.loads((workdir / name / "staticfiles.json").read_text()) for name in ("static-a", "static-b")]
        logs = [workdir / "server-a.log", workdir / "server-b.log"]
        try:
            with (
                running_site(machines[0], logs[0], workers=2) as server_a,
                running_site(machines[1], logs[1], workers=2) as server_b,
                running_nginx(
                    [server_a.url.removeprefix("http://"), server_b.url.removeprefix("http://")], https_port
                ) as edge,
            ):
                yield Machines(
                    edge, [server_a.url, server_b.url], logs, database_url, s3_endpoint, bucket,
                    float(env.get("PAGE_CACHE_VERSION_SECONDS", "1.0")), manifests[0] == manifests[1], sign_in_code,
                )  # fmt: skip
        finally:
            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(match=f"{prefix}:*"):
                client.delete(key)
            bucket_client = s3.client(s3_endpoint)
            for item in bucket_client.list_objects_v2(Bucket=bucket).get("Contents", []):
                bucket_client.delete_object(Bucket=bucket, Key=item["Key"])
            bucket_client.delete_bucket(Bucket=bucket)


def loopback_address(n: int) -> str:
    """The n-th patient's own address: 127.1.0.1, 127.1.0.2, ... (all of 127/8 is this machine)."""
    return f"127.{1 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}"
