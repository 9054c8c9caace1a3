"""The bench's own throw-away database: a temporary SQLite file, or a PostgreSQL database
created beside the one DATABASE_URL names (`<name>_bench`) and dropped afterwards."""

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def kind() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def bench_database(tmp: Path):
    if kind() == "sqlite":
        yield f"sqlite:///{tmp / 'bench.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/") + "_bench"
    server = urlunsplit(parts._replace(path="/postgres"))
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(drop)


def stored_requests(env: dict, first_name: str) -> int:
    """How many appointment requests the load stored (each POST had its own form token)."""
    code = (
        "import django; django.setup(); from appointments.models import AppointmentRequest as A; "
        f"print(A.objects.filter(first_name={first_name!r}).count())"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    return int(out.stdout.strip() or -1)


def baseline_database_url(tmp: Path, site_url: str) -> str:
    """The bare project's own database: a SQLite file of its own (so it keeps SQLite's default
    journal mode; WAL, once set, stays with a file), or the site's PostgreSQL database."""
    return f"sqlite:///{tmp / 'bare.sqlite3'}" if kind() == "sqlite" else site_url


def create_baseline_table(env: dict) -> None:
    """The bare POST's table, in the bare project's database and in the site's."""
    command = [sys.executable, "-m", "django", "migrate", "--run-syncdb", "--verbosity", "0"]
    for site_database in ("0", "1"):
        baseline_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.baseline.settings"}
        baseline_env["BASELINE_SITE_DATABASE"] = site_database
        subprocess.run(command, cwd=ROOT, env=baseline_env, check=True, timeout=60)
