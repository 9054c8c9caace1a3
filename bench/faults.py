"""Fault test: the database crashes and stops mid-run, the mail server is down; nothing acknowledged is lost.

    .venv/bin/python -m bench.faults                 # 400 patients arriving over ~27 s, two outages
    .venv/bin/python -m bench.faults --patients 200 --outage 4

Starts a PRIVATE PostgreSQL instance (initdb into a temporary folder, a free
loopback port, run as the postgres user when started as root) so the shared server
is never touched; serves the site from gunicorn against it with EMAIL_URL
pointing at a closed port (no mail server); and plays patients who, like the
503 page asks, send their form again until it is acknowledged. Mid-run it
kills PostgreSQL (`pg_ctl stop -m immediate`, a crash), starts it again, then
stops it cleanly (`-m fast`) and starts it again. Passes when no response was a
500 (503s are expected while it is down), every acknowledged request is stored
exactly once, every patient was acknowledged in the end, and /healthz recovered
by itself. Bounded by --timeout; everything it started is stopped and removed.
"""

import argparse
import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bench.harness import free_port, prepare, running_site, site_env, stored_counts, wait_until_answering
from bench.patient import ACKNOWLEDGED, Patient


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PrivatePostgres:
    """A throw-away PostgreSQL cluster of our own, on loopback only."""

    def __init__(self, workdir: Path):
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1])
        self.dir = workdir / "pg"
        self.data = self.dir / "data"
        self.port = free_port()
        self.dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(workdir, "postgres")
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(_as_postgres([str(self.bin / tool), *args]), check=True, capture_output=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/clinic_faults"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self, mode: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "clinic_faults")


@contextmanager
def private_postgres(workdir: Path):
    server = PrivatePostgres(workdir)
    server.start()
    try:
        server.create_database()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            server.stop("immediate")


class Run:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.acknowledged: set[str] = set()
        self.gave_up: set[str] = set()
        self.posts = 0

    def record(self, statuses: list[int], posts: int = 0) -> None:
        with self.lock:
            self.statuses.update(statuses)
            self.posts += posts


def patient_until_acknowledged(base: str, n: int, run: Run, arrives: float, deadline: float) -> None:
    """Load the form and send it; on anything but the thank-you redirect, wait and send the same form again."""
    time.sleep(max(0.0, arrives - time.monotonic()))
    patient = Patient(base, n, prefix="Fault")
    while patient.data is None:
        run.record([patient.load_form()])
        if patient.data is None:
            if time.monotonic() > deadline:
                run.gave_up.add(patient.first_name)
                return
            time.sleep(0.5)
    attempt = 0
    while time.monotonic() < deadline:
        statuses = patient.submit(times=2 if n % 2 and attempt == 0 else 1)
        run.record(statuses, posts=len(statuses))
        if ACKNOWLEDGED in statuses:
            with run.lock:
                run.acknowledged.add(patient.first_name)
            return
        attempt += 1
        time.sleep(0.5)
    run.gave_up.add(patient.first_name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=400)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rate", type=float, default=15, help="patients arriving per second")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--outage", type=float, default=5, help="seconds the database stays down each time")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    run = Run()
    recoveries: list[float] = []
    with tempfile.TemporaryDirectory(prefix="clinic-faults-") as tmp, private_postgres(Path(tmp)) as db:
        workdir = Path(tmp) / "site"
        workdir.mkdir()
        no_mail_server = f"smtp://127.0.0.1:{free_port()}"
        env = site_env(db.url, workdir, EMAIL_URL=no_mail_server, CONN_MAX_AGE="60", REDIS_URL="")
        prepare(env)
        log_path = workdir / "gunicorn.log"
        started = time.monotonic()
        deadline = started + args.timeout
        with running_site(env, log_path, workers=args.workers) as site:
            pool = ThreadPoolExecutor(args.clients)
            futures = [
                pool.submit(patient_until_acknowledged, site.url, n, run, started + n / args.rate, deadline)
                for n in range(args.patients)
            ]
            for mode in ("immediate", "fast"):
                time.sleep(3)
                acknowledged_before = len(run.acknowledged)
                db.stop(mode)
                print(f"database stopped ({mode}) after {acknowledged_before} acknowledged requests", flush=True)
                time.sleep(args.outage)
                db.start()
                recoveries.append(wait_until_answering(site.url + "/healthz", seconds=60))
                print(f"database started; /healthz 200 again after {recoveries[-1]:.1f} s", flush=True)
            for future in futures:
                future.result()
            pool.shutdown()
        seconds = time.monotonic() - started
        stored = stored_counts(db.url, prefix="Fault")
        log = log_path.read_text(errors="replace")

    lost = sorted(name for name in run.acknowledged if stored.get(name, 0) == 0)
    duplicated = sorted(name for name, count in stored.items() if count > 1)
    errors_500 = sum(n for status, n in run.statuses.items() if status >= 500 and status != 503)
    no_answer = run.statuses.get(0, 0)
    mail_errors = log.count("SMTP") + log.count("ConnectionRefusedError: [Errno 111]")
    patient_data = log.count("@example.com") + log.count("Load test request")
    ok = (
        not lost
        and not duplicated
        and errors_500 == 0
        and no_answer == 0
        and not run.gave_up
        and len(run.acknowledged) == args.patients
        and sum(stored.values()) == args.patients
        and patient_data == 0
    )
    print(
        ("PASS " if ok else "FAIL ")
        + f"postgres-faults: patients={args.patients} posts_sent={run.posts} acknowledged={len(run.acknowledged)} "
        f"stored={sum(stored.values())} lost={len(lost)} duplicated={len(duplicated)} gave_up={len(run.gave_up)} "
        f"503={run.statuses.get(503, 0)} 500={errors_500} no_answer={no_answer} "
        f"statuses={dict(sorted(run.statuses.items()))} recovery_seconds={[round(r, 1) for r in recoveries]} "
        f"mail_errors_in_log={mail_errors} patient_data_in_log={patient_data} seconds={seconds:.1f}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
