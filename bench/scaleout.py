"""Scale-out proof: two app servers (two machines) behind deploy/nginx.conf, sharing one PostgreSQL
database, one Redis and one S3-compatible server, as a clinic with more than one box runs (bench/machines.py).

    .venv/bin/python -m bench.scaleout                      # 400 patients, 16 at a time; about 2.5 minutes
    .venv/bin/python -m bench.scaleout --patients 1000 --clients 32

It checks that the patients, each from its own loopback address through nginx, spread over both
servers (counted in each server's log), that every acknowledged request is stored once (0 lost,
no 5xx), that a client over the rate limit on one server is over it on the other, that each
machine's collectstatic wrote the same names, that an article published on one server shows on
the other within PAGE_CACHE_VERSION_SECONDS, that a picture uploaded through one is served by the
other (from S3), and how long a request waits behind slow clients with and without nginx.
Loopback only; sending stops at --timeout seconds; it stops only what it started.
tests/test_nginx_in_front.py runs the same checks, smaller.
"""

import argparse
import contextlib
import re
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from PIL import Image

from bench import s3
from bench.browser import Browser, publish_article_with_picture, send_appointment, sign_in_to_admin, slow_socket
from bench.harness import stored_counts
from bench.machines import ADMIN, Machines, loopback_address, running_machines
from tests.postgres import postgres_server_url

ACKNOWLEDGED = 302
HEADERS_BEGUN = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
# A form body the site reads whole (under any limit a public page has), sent a byte at a time.
BODY_BEGUN = (
    b"POST /appointments/request/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20000\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n\r\nfirst_name="
)


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
    sign_in_to_admin(editor, *ADMIN, machines.sign_in_code)
    with ThreadPoolExecutor(2) as readers:
        for _ in range(2):
            readers.submit(read_b)
        try:
            time.sleep(1)  # both of B's workers have served the list without the article
            publish_article_with_picture(editor, title, slug, picture, alt="Green field")
            published = time.monotonic()
            while not seen_on_b and time.monotonic() - published < wait:
                time.sleep(0.02)
        finally:  # a failed publish must not leave the readers asking for ever
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


def waited_behind_slow_clients(machines: Machines, *, through_nginx: bool, limit: float = 90) -> float:
    """Seconds one normal request waits while slow clients hold connections: four that never finish their
    headers, straight to server A (its two sync workers), or eight such and four dribbling a body, through nginx."""
    if through_nginx:
        port, tls, requests = machines.edge.https_port, True, [HEADERS_BEGUN] * 8 + [BODY_BEGUN] * 4
        normal = machines.through_nginx("127.7.0.1")
    else:
        port, tls, requests = int(machines.servers[0].rsplit(":", 1)[1]), False, [HEADERS_BEGUN] * 4
        normal = Browser(machines.servers[0], source="127.7.0.1", timeout=limit)
    slow = [slow_socket(port, f"127.7.1.{n + 1}", opening, tls) for n, opening in enumerate(requests)]
    stop = threading.Event()

    def dribble() -> None:
        while not stop.wait(0.5):
            for sock, opening in zip(slow, requests, strict=True):
                with contextlib.suppress(OSError):
                    sock.sendall(b"X-Slow: 1\r\n" if opening is HEADERS_BEGUN else b"a")

    try:
        with ThreadPoolExecutor(1) as background:
            background.submit(dribble)
            time.sleep(1)
            started = time.monotonic()
            with contextlib.suppress(OSError):  # gave up at `limit`: the wait is the figure
                normal.get("/articles/")
            waited = time.monotonic() - started
            stop.set()
    finally:
        for sock in slow:
            sock.close()
    return waited


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
        behind_nginx = waited_behind_slow_clients(machines, through_nginx=True)
        direct = waited_behind_slow_clients(machines, through_nginx=False)  # last: it ties up server A
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
        (behind_nginx < 3, f"slow clients: a request waited {behind_nginx:.2f} s through nginx behind 8 slow-header"
                           f" and 4 slow-body sockets; {direct:.1f} s straight to one server behind 4 slow-header"
                           " sockets"),
    ]  # fmt: skip
    for ok, line in checks:
        print(("PASS  " if ok else "FAIL  ") + line)
    return 0 if all(ok for ok, _line in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
