"""Scale-out proof: two app servers (two machines) behind deploy/nginx.conf, sharing one PostgreSQL
database, one Redis and one S3-compatible server, as a clinic with more than one box runs.

    .venv/bin/python -m bench.scaleout                      # 400 patients, 16 at a time
    .venv/bin/python -m bench.scaleout --patients 1000 --clients 32

Each machine has its own gunicorn (2 workers), its own collectstatic output and its own page
cache. It checks that the patients, each from its own loopback address through nginx, spread
over both servers (counted in each server's log), that every acknowledged request is stored
once (0 lost, no 5xx), that a client over the rate limit on one server is over it on the other,
that an article published on one server shows on the other within PAGE_CACHE_VERSION_SECONDS,
and that a picture uploaded through one is served by the other (from S3). Loopback only;
sending stops at --timeout seconds; it stops only the servers it started and drops its database,
bucket keys and Redis keys. tests/test_nginx_in_front.py runs the same checks, smaller.
"""

import argparse
import contextlib
import json
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import redis
from PIL import Image

from bench import s3
from bench.browser import Browser, publish_article_with_picture, send_appointment, sign_in_to_admin
from bench.harness import (
    free_port,
    manage,
    postgres_database,
    postgres_server_url,
    running_site,
    site_env,
    stored_counts,
)
from bench.nginx import Edge, running_nginx

ACKNOWLEDGED = 302
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
    with postgres_database(postgres_server, "clinic_scaleout") as database_url:
        env = site_env(
            database_url, workdir / "static-a",
            BEHIND_TLS_PROXY="1", TRUSTED_PROXY_COUNT="1", SECURE_COOKIES="1",
            # The harness checks /healthz on each server over plain HTTP; nginx sends plain HTTP to HTTPS.
            SECURE_SSL_REDIRECT="0",
            CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{https_port}",  # a test port; on 443 the host alone matches
            APPOINTMENT_RATE_LIMIT=rate_limit, REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix,
            MEDIA_ROOT=str(workdir / "no-local-media"), DJANGO_SUPERUSER_PASSWORD=ADMIN[1],
            **s3.site_env(s3_endpoint, bucket),
        )  # fmt: skip
        machines = [env, {**env, "STATIC_ROOT": str(workdir / "static-b")}]  # one SECRET_KEY, as a deployer sets
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        manage(env, "createsuperuser", "--noinput", "--username", ADMIN[0], "--email", "editor@clinic.example")
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
                running_nginx([server_a.removeprefix("http://"), server_b.removeprefix("http://")], https_port) as edge,
            ):
                yield Machines(
                    edge, [server_a, server_b], logs, database_url, s3_endpoint, bucket,
                    float(env.get("PAGE_CACHE_VERSION_SECONDS", "1.0")), manifests[0] == manifests[1],
                )  # fmt: skip
        finally:
            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(match=f"{prefix}:*"):
                client.delete(key)
            for item in s3.client(s3_endpoint).list_objects_v2(Bucket=bucket).get("Contents", []):
                s3.client(s3_endpoint).delete_object(Bucket=bucket, Key=item["Key"])


def loopback_address(n: int) -> str:
    """The n-th patient's own address: 127.1.0.1, 127.1.0.2, ... (all of 127/8 is this machine)."""
    return f"127.{1 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}"


@dataclass
class Spread:
    patients: int
    statuses: Counter = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)
    stored: dict[str, int] = field(default_factory=dict)
    per_server: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def lost(self) -> int:
        return sum(1 for name in self.acknowledged if self.stored.get(name, 0) == 0)

    @property
    def ok(self) -> bool:
        return (
            len(self.acknowledged) == self.patients
            and self.lost == 0
            and all(count == 1 for count in self.stored.values())
            and len(self.per_server) == 2
            and min(self.per_server) > 0
            and sum(self.per_server) == self.patients
        )


def spread_patients(machines: Machines, patients: int, clients: int, timeout: float, prefix: str) -> Spread:
    """`patients` patients at once through nginx, each from its own address; their requests counted per server."""
    result, before = Spread(patients), machines.posts_per_server()
    deadline = time.monotonic() + timeout

    def one(n: int) -> tuple[str, int]:
        name = f"{prefix}{n}"
        if time.monotonic() > deadline:
            return name, -1
        return name, send_appointment(machines.through_nginx(loopback_address(n)), name)

    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        for name, status in pool.map(one, range(patients)):
            result.statuses[status] += 1
            if status == ACKNOWLEDGED:
                result.acknowledged.add(name)
    result.seconds = time.monotonic() - started
    result.stored = stored_counts(machines.database_url, prefix)
    result.per_server = [after - earlier for after, earlier in zip(machines.posts_per_server(), before, strict=True)]
    return result


def rate_limit_statuses(machines: Machines, limit: int, client: str) -> list[int]:
    """`limit` requests from one client to server A, then one more to each server (as nginx would pass them on)."""
    forwarded = {"X-Forwarded-For": client}
    a, b = (Browser(server) for server in machines.servers)
    statuses = [send_appointment(a, f"Limited{n}", **forwarded) for n in range(limit)]
    return [*statuses, send_appointment(b, "LimitedOnB", **forwarded), send_appointment(a, "LimitedOnA", **forwarded)]


def png(color: tuple[int, int, int]) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (64, 32), color).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Publication:
    seconds_until_listed_on_b: float  # after the admin's answer on A
    picture_from_b: bool
    picture_through_nginx: bool
    picture_in_bucket: bool


def publish_on_a_read_on_b(machines: Machines, slug: str, wait: float = 10) -> Publication:
    """An editor publishes an article with a picture on server A while readers keep asking server B for the list.

    B's workers have the list in their page cache and keep their content version fresh the whole
    time, so the delay measured is the version check's, not a cold start's.
    """
    title, picture = f"Published on A {slug}", png((46, 139, 87))
    seen_on_b: list[float] = []
    stop = threading.Event()

    def read_b() -> None:
        reader = Browser(machines.servers[1])
        while not stop.is_set() and not seen_on_b:
            if title in reader.get("/articles/").text:
                seen_on_b.append(time.monotonic())
            time.sleep(0.02)

    editor = Browser(machines.servers[0])
    sign_in_to_admin(editor, *ADMIN)
    with ThreadPoolExecutor(2) as readers:
        for _ in range(2):
            readers.submit(read_b)
        time.sleep(1)  # both of B's workers have served the list without the article
        publish_article_with_picture(editor, title, slug, picture, alt="Green field")
        published = time.monotonic()
        while not seen_on_b and time.monotonic() - published < wait:
            time.sleep(0.02)
        stop.set()
    listed = max(0.0, seen_on_b[0] - published) if seen_on_b else float("inf")
    page = Browser(machines.servers[1]).get(f"/articles/{slug}/").text
    src = re.search(r'<img src="(/media/[^"]+)" alt="Green field"', page).group(1)
    keys = [item["Key"] for item in s3.client(machines.s3_endpoint).list_objects_v2(Bucket=machines.bucket)["Contents"]]
    return Publication(
        listed,
        Browser(machines.servers[1]).get(src).body == picture,
        machines.through_nginx().get(src).body == picture,
        src.removeprefix("/media/") in keys,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=400)
    parser.add_argument("--clients", type=int, default=16, help="patients at once")
    parser.add_argument("--timeout", type=float, default=300, help="stop sending after this many seconds")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="shared; keys under a new prefix")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clinic-scaleout-")))
        s3_url = stack.enter_context(s3.moto_server(workdir / "moto.log"))
        servers = {"postgres_server": postgres_server_url(), "redis_url": args.redis_url, "s3_endpoint": s3_url}
        machines = stack.enter_context(running_machines(workdir, **servers))
        spread = spread_patients(machines, args.patients, args.clients, args.timeout, "Scale")
        limited = rate_limit_statuses(machines, 5, "203.0.113.50")
        publication = publish_on_a_read_on_b(machines, "scale-out-" + secrets.token_hex(3))
    checks = [
        (spread.ok, f"patients through nginx: {len(spread.acknowledged)}/{spread.patients} acknowledged, "
                    f"{sum(spread.stored.values())} stored, {spread.lost} lost, statuses {dict(spread.statuses)}, "
                    f"per server {spread.per_server}, {spread.seconds:.1f} s "
                    f"({spread.patients / max(spread.seconds, 0.001):.0f} patients/s)"),
        (limited == [302] * 5 + [429, 429], f"rate limit shared: 5 to A then B, A answered {limited}"),
        (machines.static_manifests_equal, "each machine's collectstatic wrote the same hashed names"),
        (publication.seconds_until_listed_on_b <= machines.version_seconds + 1,
         f"published on A, listed on B after {publication.seconds_until_listed_on_b:.2f} s "
         f"(PAGE_CACHE_VERSION_SECONDS={machines.version_seconds:g})"),
        (publication.picture_in_bucket and publication.picture_from_b and publication.picture_through_nginx,
         f"picture uploaded on A: in the bucket {publication.picture_in_bucket}, served by B "
         f"{publication.picture_from_b}, through nginx {publication.picture_through_nginx}"),
    ]  # fmt: skip
    for ok, line in checks:
        print(("PASS  " if ok else "FAIL  ") + line)
    return 0 if all(ok for ok, _line in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
