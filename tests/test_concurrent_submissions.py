"""Several gunicorn workers share one database: concurrent and doubled submissions each land once.

A small version of `python -m bench.loadtest` (see bench/README.md), on SQLite and on PostgreSQL.
"""

import pytest

from bench.loadtest import run_load

PATIENTS = 24

pytestmark = pytest.mark.slow


def test_concurrent_double_submits_on_sqlite_store_each_request_exactly_once():
    result = run_load("sqlite", patients=PATIENTS, clients=PATIENTS, timeout=120)
    assert result.ok, result.summary()
    assert result.posts_sent == PATIENTS + PATIENTS // 2


def test_concurrent_double_submits_on_postgresql_store_each_request_exactly_once(postgres_server):
    result = run_load("postgres", patients=PATIENTS, clients=PATIENTS, timeout=120)
    assert result.ok, result.summary()
    assert result.posts_sent == PATIENTS + PATIENTS // 2
