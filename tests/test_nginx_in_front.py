"""Patients reach the site through deploy/nginx.conf: Debian's nginx terminating TLS in front of two gunicorn
servers (two machines) on one PostgreSQL database, one Redis and the S3 test server.

The scale-out script (bench/scaleout.py) in small: every check here runs against real processes on loopback.
"""

import contextlib
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from articles.forms import MAX_IMAGE_MB
from bench import nginx
from bench.browser import Browser, closed_within, send_appointment, slow_socket
from bench.harness import free_port, stored_counts
from bench.machines import loopback_address, running_machines
from bench.scaleout import BODY_BEGUN, HEADERS_BEGUN, publish_on_a_read_on_b, rate_limit_statuses, spread_patients

pytestmark = pytest.mark.slow

RATE_LIMIT = 3


@pytest.fixture(scope="module")
def machines(tmp_path_factory, postgres_server, redis_server, s3_endpoint):
    if not nginx.available():
        message = f"nginx is not installed at {nginx.NGINX} (scripts/install-nginx installs Debian's)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    workdir = tmp_path_factory.mktemp("machines")
    with running_machines(
        workdir, postgres_server=postgres_server, redis_url=redis_server, s3_endpoint=s3_endpoint,
        rate_limit=f"{RATE_LIMIT}/10m", collect_each=False,
    ) as running:  # fmt: skip
        yield running


def test_the_ports_chosen_before_the_servers_start_are_never_the_same():
    # nginx's https and http ports are both chosen before it listens; the kernel may offer a port twice,
    # and one port for both makes nginx refuse its configuration (CI saw it once).
    ports = [free_port() for _ in range(500)]
    assert len(set(ports)) == len(ports)


def visitor(machines, n: int) -> Browser:
    """A visitor through nginx from an address of its own (so no other test's requests count against its limit)."""
    return machines.through_nginx(f"127.9.{n}.1")


def test_pages_come_through_with_the_security_headers_and_no_server_version(machines):
    browser = visitor(machines, 1)
    for path in ("/", "/articles/", "/appointments/request/", "/no-such-page/"):
        answer = browser.get(path)
        assert answer.status == (404 if path == "/no-such-page/" else 200), path
        headers = answer.headers
        assert headers["Server"] == "nginx"  # no version, and not gunicorn's
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert len(headers.get_all("Strict-Transport-Security")) == 1
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's own request id, logged by the site


def test_plain_http_is_sent_to_https(machines):
    answer = Browser(f"http://127.0.0.1:{machines.edge.http_port}").get("/articles/?page=2")
    assert answer.status == 301
    assert answer.headers["Location"] == "https://127.0.0.1/articles/?page=2"
    assert answer.headers["Server"] == "nginx"
    assert b"nginx/" not in answer.body


def test_a_patient_sends_the_form_through_nginx_and_it_is_stored(machines):
    browser = visitor(machines, 2)
    assert send_appointment(browser, "ThroughNginx") == 302
    assert stored_counts(machines.database_url, "ThroughNginx") == {"ThroughNginx": 1}
    assert "reference" in browser.get("/appointments/thanks/").text.lower()


def test_a_forwarded_proto_sent_by_the_client_is_replaced(machines):
    answer = visitor(machines, 3).get("/appointments/request/", **{"X-Forwarded-Proto": "http"})
    assert answer.status == 200
    # The site still knows the visit is HTTPS: HSTS (sent on HTTPS only) and a Secure CSRF cookie.
    assert "Strict-Transport-Security" in answer.headers
    assert any("Secure" in cookie for cookie in answer.headers.get_all("Set-Cookie"))
    # The same header straight to an app server is believed: nginx is what stands between.
    direct = Browser(machines.servers[0]).get("/appointments/request/", **{"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in direct.headers


def test_a_forwarded_for_sent_by_the_client_does_not_escape_the_rate_limit(machines):
    browser = visitor(machines, 4)
    statuses = [
        send_appointment(browser, f"Spoofer{n}", **{"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(RATE_LIMIT + 1)
    ]
    assert statuses == [302] * RATE_LIMIT + [429]


def test_a_client_over_the_rate_limit_on_one_server_is_over_it_on_the_other(machines):
    assert rate_limit_statuses(machines, RATE_LIMIT, "198.51.100.23") == [302] * RATE_LIMIT + [429, 429]


def test_patients_spread_over_both_servers_and_none_is_lost(machines):
    spread = spread_patients(machines, patients=16, clients=8, timeout=120, prefix="Spread")
    assert spread.ok, (spread.statuses, spread.per_server, spread.lost)
    assert dict(spread.statuses) == {302: 16}


def test_an_article_published_on_one_server_shows_on_the_other_with_its_picture(machines):
    publication = publish_on_a_read_on_b(machines, "published-on-a")
    assert publication.seconds_until_listed_on_b <= machines.version_seconds + 1
    assert publication.picture_in_bucket
    assert publication.picture_from_b
    assert publication.picture_through_nginx


def test_each_server_serves_the_same_static_files_and_nginx_keeps_them(machines):
    page = visitor(machines, 5).get("/").text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    assert all(Browser(server).get(stylesheet).status == 200 for server in machines.servers)
    served_before = sum(log.read_text().count(f"path={stylesheet} ") for log in machines.logs)
    for n in range(3):
        answer = visitor(machines, 6 + n).get(stylesheet, **{"Accept-Encoding": "br"})
        assert answer.status == 200
        assert answer.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert "immutable" in answer.headers["Cache-Control"]
    # At most the first of the three reached gunicorn; nginx answered the others from its cache.
    assert sum(log.read_text().count(f"path={stylesheet} ") for log in machines.logs) - served_before <= 1


def test_the_body_limit_fits_the_admin_image_limit(machines):
    configured = int(re.search(r"client_max_body_size (\d+)m;", nginx.CONFIG.read_text()).group(1))
    assert MAX_IMAGE_MB < configured <= MAX_IMAGE_MB + 2

    def upload(megabytes: float):
        picture = ("hero.png", b"\0" * int(megabytes * 1024 * 1024), "image/png")
        return visitor(machines, 10).post("/admin/articles/article/add/", {"title": "x"}, files={"hero_image": picture})

    # The admin's largest picture reaches the site (which answers, here refusing a visitor without a session) ...
    passed = upload(MAX_IMAGE_MB)
    assert passed.status != 413 and "Content-Security-Policy" in passed.headers
    # ... and a larger body is refused by nginx itself, before any app server reads it.
    refused = upload(configured + 0.5)
    assert refused.status == 413 and "Content-Security-Policy" not in refused.headers
    assert b"nginx/" not in refused.body


def test_slow_clients_do_not_tie_up_the_app_servers_workers(machines):
    """Eight sockets that never finish their headers and four that dribble a body, against four sync workers.

    Straight to gunicorn, four such sockets hold both workers of a server for a minute; nginx reads
    every request whole before passing it on, so the app servers never see them.
    """
    port = machines.edge.https_port
    opened = time.monotonic()
    slow_headers = [slow_socket(port, f"127.8.1.{n + 1}", HEADERS_BEGUN) for n in range(8)]
    slow_bodies = [slow_socket(port, f"127.8.2.{n + 1}", BODY_BEGUN) for n in range(4)]  # a form body, read whole
    stop = threading.Event()

    def dribble() -> None:
        while not stop.wait(0.5):
            for sock in slow_headers + slow_bodies:
                with contextlib.suppress(OSError):
                    sock.sendall(b"X-Slow: 1\r\n" if sock in slow_headers else b"a")

    try:
        with ThreadPoolExecutor(1) as background:
            background.submit(dribble)
            time.sleep(1.5)
            started = time.monotonic()
            answers = [visitor(machines, 20 + n).get("/articles/").status for n in range(4)]
            waited = time.monotonic() - started
            stop.set()
        assert answers == [200] * 4
        assert waited < 5
        # nginx drops the unfinished headers after client_header_timeout (10 s), dribbling or not.
        assert all(closed_within(sock, max(0.5, opened + 16 - time.monotonic())) for sock in slow_headers)
    finally:
        stop.set()
        for sock in slow_headers + slow_bodies:
            sock.close()


def test_every_patient_address_is_a_loopback_address():
    assert [loopback_address(n) for n in (0, 249, 250, 62499, 62500)] == [
        "127.1.0.1", "127.1.0.250", "127.1.1.1", "127.1.249.250", "127.2.0.1",
    ]  # fmt: skip
