"""gunicorn.conf.py: settings from the environment, no query strings in its access log, no forwarded scheme."""

import runpy
from pathlib import Path

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
