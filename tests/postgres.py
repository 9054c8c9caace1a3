"""The PostgreSQL server the suite (and bench/loadtest.py) may create scratch databases on."""

import os
import urllib.parse

import psycopg

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_server_url() -> str:
    """TEST_POSTGRES_URL, else DATABASE_URL's server when it is PostgreSQL, else the local one."""
    if url := os.environ.get("TEST_POSTGRES_URL"):
        return url
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        return with_database(database_url, "postgres")
    return DEFAULT_POSTGRES_URL


def with_database(url: str, name: str) -> str:
    """The same server, another database."""
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


def postgres_reachable(server_url: str) -> bool:
    try:
        with psycopg.connect(server_url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False
