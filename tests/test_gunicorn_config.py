"""gunicorn.conf.py: settings from the environment, no query strings in its access log, no forwarded scheme."""

import os
import re
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.harness import free_port

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_bind_workers_and_timeout_come_from_the_environment(monkeypatch):
    config = load(monkeypatch, GUNICORN_BIND="0.0.0.0:9000", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="45")
    assert (config["bind"], config["workers"], config["timeout"]) == ("0.0.0.0:9000", 3, 45)
    defaults = load(monkeypatch)
    assert defaults["bind"] == "127.0.0.1:8000"
    assert 1 < defaults["workers"] <= 8


def test_the_access_log_is_key_value_with_the_path_only(monkeypatch):
    config = load(monkeypatch, GUNICORN_ACCESS_LOG="-")
    assert config["accesslog"] == "-"
    log_format = config["access_log_format"]
    assert 'path="%(U)s"' in log_format
    for leaky in ("%(q)s", "%(r)s", "%(u)s", "%(f)s", "%(a)s", "{cookie}"):
        assert leaky not in log_format


def test_gunicorn_itself_trusts_no_forwarded_scheme(monkeypatch):
    assert load(monkeypatch)["secure_scheme_headers"] == {}


def exchange(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(raw)
        conn.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.slow
def test_no_answer_names_a_server_version(tmp_path):
    """gunicorn's own answers (a malformed request) and Django's (a refused host, a refused body) alike."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}},
        "SECRET_KEY": "gunicorn-test-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=CONFIG.parent, env=env, check=True, capture_output=True, timeout=120)
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)], cwd=CONFIG.parent, env=env,
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        answers = [
            exchange(port, b"GET /robots.txt HTTP/1.1\r\nHost: evil.example\r\n\r\n"),
            exchange(port, b"POST /appointments/request/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 314572800\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n\r\nfirst_name=x"),
            exchange(port, b"NOT A REQUEST\r\n\r\n"),
        ]  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    statuses = [answer.split(b" ", 2)[1] for answer in answers]
    assert statuses == [b"400", b"413", b"400"], (tmp_path / "gunicorn.log").read_text()[-3000:]
    for answer in answers:
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        servers = [line for line in head.split("\r\n") if line.lower().startswith("server:")]
        assert all(not re.search(r"\d", line) for line in servers), servers
        assert "gunicorn/" not in answer.decode("latin-1")
