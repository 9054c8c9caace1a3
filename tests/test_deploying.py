"""Deploying is `migrate` and the Procfile: from an empty database to a patient's email sent.

The recipe of docs/operations.md ("Running it for real"), run as written on a SQLite file
of its own: no createcachetable, no collectstatic by hand (web runs it), no cron. honcho starts
the Procfile with two schedulers (as two machines would), and each recurring job is still queued once.
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from accounts.roles import ROLES
from bench.harness import ROOT, free_port, wait_until_answering
from bench.patient import Patient
from tests.test_settings import PRODUCTION_ENV

SCHEDULED = {
    "operations.tasks.worker_heartbeat",
    "appointments.tasks.sweep_notifications",
    "appointments.tasks.purge_expired_requests",
    "operations.tasks.prune_task_results",
    "operations.tasks.purge_old_audit_events",
}


def test_the_procfile_names_the_three_processes():
    lines = (ROOT / "Procfile").read_text().splitlines()
    assert dict(line.split(": ", 1) for line in lines if line.strip()) == {
        "web": "python manage.py collectstatic --noinput --verbosity 0"
        " && exec gunicorn -c gunicorn.conf.py clinic.wsgi",
        "worker": "python manage.py db_worker",
        "scheduler": "python manage.py run_scheduler",
    }
    honcho = Path(sys.executable).parent / "honcho"
    checked = subprocess.run([honcho, "check"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr


def test_the_systemd_unit_starts_each_process_from_the_procfile():
    unit = (ROOT / "deploy" / "systemd" / "clinic@.service").read_text()
    assert "ExecStart=/srv/clinic/.venv/bin/honcho --no-colour --no-prefix start %i\n" in unit
    assert "WorkingDirectory=/srv/clinic\n" in unit  # where the Procfile is
    assert "EnvironmentFile=/etc/clinic/env\n" in unit


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.3)
    raise AssertionError(f"{what} did not happen within {seconds} s")


@pytest.mark.slow
def test_migrate_and_the_procfile_run_the_whole_site(tmp_path: Path):
    database, outbox, port = tmp_path / "clinic.sqlite3", tmp_path / "outbox", free_port()
    venv_bin = str(Path(sys.executable).parent)
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep} | PRODUCTION_ENV
    env |= {
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "EMAIL_URL": f"filemail:///{outbox}",  # a real backend that writes each email to a file
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: no TLS proxy in front
        "SECURE_COOKIES": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_CMD_ARGS": "--no-control-socket",  # gunicorn's default socket is one per user, shared by other tests
        "PYTHONUNBUFFERED": "1",
    }
    migrate = [sys.executable, "manage.py", "migrate", "--noinput"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True)

    log = (tmp_path / "honcho.log").open("wb")
    honcho = subprocess.Popen(
        [f"{venv_bin}/honcho", "start", "-c", "scheduler=2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/healthz", seconds=60)
        patient = Patient(base, 1, prefix="Deploy")
        assert patient.load_form() == 200
        # The web process collected the static files: pages name them by hashed names, and they are served.
        status, home = patient._status(f"{base}/")
        stylesheets = re.findall(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
        assert status == 200 and stylesheets, home[:500]
        assert patient._status(base + stylesheets[0])[0] == 200
        assert patient.submit() == [302]
        # The worker sends both emails (the clinic inbox, the patient) from the file backend's outbox.
        wait_for(lambda: outbox.exists() and len(list(outbox.iterdir())) >= 2, 60, "two emails written")

        def tasks() -> Counter:
            with closing(sqlite3.connect(database)) as db:
                rows = db.execute("SELECT task_path, status FROM django_tasks_database_dbtaskresult").fetchall()
            return Counter(path for path, status in rows if status == "SUCCESSFUL")

        wait_for(lambda: set(tasks()) >= SCHEDULED, 60, "every scheduled job run")
        time.sleep(2)  # the other scheduler had every chance to fire too
        done = tasks()
        assert {path: done[path] for path in SCHEDULED} == dict.fromkeys(SCHEDULED, 1), done
        health = wait_for(lambda: Patient(base, 2)._status(f"{base}/healthz")[1], 10, "/healthz")
        assert '"worker_last_ran": "20' in health and '"scheduler_last_ran": "20' in health
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)  # honcho stops the processes it started
        try:
            honcho.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait()
        log.close()
    output = (tmp_path / "honcho.log").read_text(errors="replace")
    assert "Traceback" not in output, output[-3000:]
    assert "Deploy1" not in output and "deploy1@example.com" not in output, "no patient data in the logs"
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT COUNT(*) FROM appointments_appointmentrequest").fetchone() == (1,)
        assert db.execute("SELECT COUNT(*) FROM operations_lease").fetchone() == (0,), "the lease was released"
        groups = db.execute("SELECT name FROM auth_group ORDER BY name").fetchall()
        assert groups == [(name,) for name in sorted(ROLES)], "migrate made the staff groups"
