"""Run the site under gunicorn on a database of its own and play patients against it.

Loopback only. Used by the load and fault scripts in this folder and by
tests/test_concurrent_submissions.py.
"""

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
ACKNOWLEDGED = 302  # the redirect to the thank-you page: the patient is told it was sent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_server_url() -> str:
    """The PostgreSQL server to create scratch databases on: TEST_POSTGRES_URL, else DATABASE_URL's, else local."""
    if url := os.environ.get("TEST_POSTGRES_URL"):
        return url
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        return with_database(database_url, "postgres")
    return DEFAULT_POSTGRES_URL


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


def postgres_reachable(server_url: str) -> bool:
    try:
        with psycopg.connect(server_url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def postgres_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the server, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_env(database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) on plain HTTP over loopback, with the rate limit raised."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL", "ADMIN_URL"}}
    env.update(
        SECRET_KEY="bench-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        APPOINTMENT_RATE_LIMIT="1000000/m",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """`manage.py ARGS`; its standard output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )
    return done.stdout.decode()


def prepare(env: dict[str, str]) -> None:
    """What a deployer runs before starting the processes: migrate (it makes the cache table too), collectstatic."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")


@contextmanager
def running_site(env: dict[str, str], log_path: Path, workers: int = 4) -> Iterator[str]:
    """gunicorn with our config file on a free loopback port; yields the base URL."""
    port = free_port()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, seconds=60)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_healthy(base: str, seconds: float) -> float:
    """Seconds until /healthz answers 200; raises TimeoutError after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{base}/healthz did not answer 200 within {seconds} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Patient:
    """One browser: loads the form once, then posts it (once, or twice at once for a double click)."""

    def __init__(self, base: str, n: int, prefix: str = "Load"):
        self.base = base
        self.first_name = f"{prefix}{n}"
        self.email = f"{prefix.lower()}{n}@example.com"
        self.phone = f"+1 202 555 {n % 10000:04d}"
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        self.data: bytes | None = None

    def _status(self, url: str, data: bytes | None = None) -> tuple[int, str]:
        try:
            with self.opener.open(url, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:
            return 0, ""  # connection refused or reset: no answer at all

    def load_form(self) -> int:
        status, page = self._status(f"{self.base}/appointments/request/")
        if status == 200:
            fields = {
                name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
                for name in ("csrfmiddlewaretoken", "form_token")
            }
            self.data = urllib.parse.urlencode(
                {
                    **fields,
                    "first_name": self.first_name,
                    "last_name": "Patient",
                    "phone": self.phone,
                    "email": self.email,
                    "new_patient": "yes",
                    "preferred_day": "monday",
                    "preferred_time": "any",
                    "message": "Load test request.",
                }
            ).encode()
        return status

    def submit(self, times: int = 1) -> list[int]:
        """Post the same filled-in form `times` times at once; returns the statuses."""
        url = f"{self.base}/appointments/request/"
        if times == 1:
            return [self._status(url, self.data)[0]]
        with ThreadPoolExecutor(times) as clicks:
            return [status for status, _page in clicks.map(lambda _: self._status(url, self.data), range(times))]


def stored_counts(database_url: str, prefix: str = "Load") -> dict[str, int]:
    """How many rows each patient (by first name) has in the database."""
    query = (
        "SELECT first_name, COUNT(*) FROM appointments_appointmentrequest WHERE first_name LIKE %s GROUP BY first_name"
    )
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return dict(db.execute(query.replace("%s", "?"), (f"{prefix}%",)).fetchall())
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        return dict(conn.execute(query, (f"{prefix}%",)).fetchall())
