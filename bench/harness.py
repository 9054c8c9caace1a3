"""Run the site (or a baseline) under gunicorn on a scratch database of its own, loopback only.

Used by run.py (`make bench`), loadtest.py, faults.py and, through loadtest.py,
tests/test_concurrent_submissions.py. Everything it starts it stops, and only that.
"""

import contextlib
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from tests.postgres import with_database

ROOT = Path(__file__).resolve().parent.parent


class HarnessError(Exception):
    """A command or a server the harness started failed; the message holds the end of its output."""


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A loopback port nobody listens on, and never one this process handed out before.

    The kernel may give a port it just gave again (the socket here is closed at once), so two ports
    chosen before either server starts, nginx's https and http ones say, could otherwise be the same.
    """
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


@contextlib.contextmanager
def scratch_database(workdir: Path, name: str, postgres_server: str | None = None) -> Iterator[str]:
    """A new, empty database; yields its URL.

    A SQLite file in `workdir` (removed with it), or, given a PostgreSQL server URL,
    the database `name` created there (any leftover of that name first) and dropped afterwards.
    """
    if postgres_server is None:
        yield f"sqlite:///{workdir / name}.sqlite3"
        return
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(postgres_server, autocommit=True, connect_timeout=5) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(postgres_server, name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True, connect_timeout=5) as conn:
            conn.execute(drop)


def stored_counts(database_url: str, prefix: str) -> dict[str, int]:
    """How many appointment requests each first name starting with `prefix` has in the database."""
    query = (
        "SELECT first_name, COUNT(*) FROM appointments_appointmentrequest WHERE first_name LIKE %s GROUP BY first_name"
    )
    if database_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return dict(db.execute(query.replace("%s", "?"), (f"{prefix}%",)).fetchall())
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        return dict(conn.execute(query, (f"{prefix}%",)).fetchall())


def site_env(database_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of a site process: production settings (DEBUG off) on plain HTTP over loopback.

    Static files are collected into `workdir`; the rate limit is raised, since one
    client sends every request. `extra` adds or overrides variables.
    """
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "ADMIN_URL"}}
    env.update(
        SECRET_KEY="bench-" + secrets.token_hex(16),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # no TLS proxy in front
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        APPOINTMENT_RATE_LIMIT="100000000/m",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(workdir / "static"),
        CACHE_KEY_PREFIX="bench-" + secrets.token_hex(4),  # apart from anything else on a shared REDIS_URL
        DJANGO_SETTINGS_MODULE="clinic.settings",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def python(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    """Run `python ARGS` in the project folder; its standard output, or HarnessError with its errors."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise HarnessError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return python(env, "manage.py", *args)


def prepare(env: dict[str, str]) -> None:
    """What a deployer runs before starting the processes: migrate (it makes the cache table too), collectstatic."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # the gunicorn master; its children are the workers


@contextlib.contextmanager
def running_site(
    env: dict[str, str],
    log_path: Path,
    *,
    workers: int,
    app: str = "clinic.wsgi",
    ready_path: str = "/healthz",
    options: tuple[str, ...] = (),
) -> Iterator[Server]:
    """gunicorn with gunicorn.conf.py serving `app` on a free loopback port, once `ready_path` answers 200.

    `options` are more gunicorn flags (they win over the config file). On the way out it
    stops the server and its workers: its own process group, nothing else.
    """
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app, "-w", str(workers)]
    # No control socket: the default is one path per user, which servers started side by side would share.
    command += ["-b", f"127.0.0.1:{port}", "--no-control-socket", *options]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", process.pid)
    try:
        try:
            wait_until_answering(server.url + ready_path, seconds=60, alive=lambda: process.poll() is None)
        except TimeoutError as error:
            raise HarnessError(f"{app} did not start ({error}):\n{log_path.read_text()[-3000:]}") from None
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_answering(url: str, seconds: float, alive: Callable[[], bool] = lambda: True) -> float:
    """Seconds until `url` answers 200; TimeoutError after `seconds`, or at once when `alive()` turns false."""
    started = time.monotonic()
    while time.monotonic() - started < seconds and alive():
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    reason = "the server exited" if not alive() else f"no 200 within {seconds} s"
    raise TimeoutError(f"{url}: {reason}")
