"""Several gunicorn workers share one SQLite file: concurrent and doubled submissions each land once."""

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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = 24

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def server(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "APPOINTMENT_RATE_LIMIT": "10000/m",
    }
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clinic.wsgi", "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start")
    yield base, tmp_path / "site.sqlite3"
    process.terminate()
    _out, err = process.communicate(timeout=30)
    assert b"database is locked" not in err


def patient(base: str, n: int) -> list[int]:
    """One patient: load the form, then send it twice at once (a double click)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
    page = opener.open(f"{base}/appointments/request/", timeout=30).read().decode()
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
            "form_token": re.search(r'name="form_token" value="([^"]+)"', page).group(1),
            "first_name": f"Patient{n}",
            "last_name": "Concurrent",
            "phone": f"+1 202 555 {n:04d}",
            "email": f"patient{n}@example.com",
            "new_patient": "yes",
            "preferred_day": "monday",
            "preferred_time": "any",
        }
    ).encode()

    def post() -> int:
        try:
            return opener.open(f"{base}/appointments/request/", data=data, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(2) as pair:
        return list(pair.map(lambda _: post(), range(2)))


def test_concurrent_double_submits_store_each_request_exactly_once(server):
    base, db_path = server
    with ThreadPoolExecutor(PATIENTS) as pool:
        statuses = [s for pair in pool.map(lambda n: patient(base, n), range(PATIENTS)) for s in pair]
    assert statuses == [302] * (2 * PATIENTS)
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT first_name, COUNT(*) FROM appointments_appointmentrequest GROUP BY first_name")
        counts = dict(rows.fetchall())
    assert counts == {f"Patient{n}": 1 for n in range(PATIENTS)}
