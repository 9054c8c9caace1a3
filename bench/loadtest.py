"""Load test: many patients at once, half of them double-clicking, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.loadtest                      # both databases, 2000 patients each
    .venv/bin/python -m bench.loadtest --database sqlite --patients 500

Runs gunicorn (gunicorn.conf.py, production settings, DEBUG off) on a loopback
port against a database of its own (a temporary SQLite file, or a PostgreSQL
database created and dropped on TEST_POSTGRES_URL's server), raises
APPOINTMENT_RATE_LIMIT through the environment, and checks that every distinct
submission is stored exactly once, that nothing answers 5xx, and that the
server log holds no "database is locked" and no patient data. Bounded: it stops
sending at --timeout seconds and every request times out after 60 s.
"""

import argparse
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import prepare, running_site, scratch_database, site_env, stored_counts
from bench.patient import ACKNOWLEDGED, Patient
from tests.postgres import postgres_server_url


@dataclass
class LoadResult:
    database: str
    patients: int = 0
    posts_sent: int = 0
    statuses: Counter = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)
    stored: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    locked_in_log: int = 0
    patient_data_in_log: int = 0
    request_lines_in_log: int = 0

    @property
    def lost(self) -> int:
        return sum(1 for name in self.acknowledged if self.stored.get(name, 0) == 0)

    @property
    def duplicated(self) -> int:
        return sum(1 for count in self.stored.values() if count > 1)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.duplicated == 0
            and self.server_errors == 0
            and len(self.acknowledged) == self.patients
            and sum(self.stored.values()) == self.patients
            and self.locked_in_log == 0
            and self.patient_data_in_log == 0
        )

    def summary(self) -> str:
        return (
            f"{self.database}: patients={self.patients} posts_sent={self.posts_sent} "
            f"acknowledged={len(self.acknowledged)} stored={sum(self.stored.values())} lost={self.lost} "
            f"duplicated={self.duplicated} 5xx={self.server_errors} statuses={dict(sorted(self.statuses.items()))} "
            f'"database is locked"={self.locked_in_log} patient_data_in_log={self.patient_data_in_log} '
            f"request_log_lines={self.request_lines_in_log} "
            f"seconds={self.seconds:.1f} posts_per_second={self.posts_sent / max(self.seconds, 0.001):.0f}"
        )


def database(kind: str, workdir: Path):
    server = postgres_server_url() if kind == "postgres" else None
    return scratch_database(workdir, f"clinic_load_{uuid.uuid4().hex[:8]}", server)


def play(base: str, patients: int, clients: int, deadline: float, result: LoadResult, prefix: str = "Load") -> None:
    """Each patient loads the form and posts it; every other one double-clicks."""

    lock = threading.Lock()

    def one(n: int) -> None:
        if time.monotonic() > deadline:
            return
        patient = Patient(base, n, prefix)
        statuses = [patient.load_form()]
        if patient.data is not None:
            posts = patient.submit(times=2 if n % 2 else 1)
            statuses += posts
        with lock:
            result.statuses.update(statuses)
            result.posts_sent += len(statuses) - 1
            if ACKNOWLEDGED in statuses:
                result.acknowledged.add(patient.first_name)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(patients)))


def run_load(kind: str, patients: int, clients: int = 32, workers: int = 4, timeout: float = 600) -> LoadResult:
    result = LoadResult(database=kind, patients=patients)
    with tempfile.TemporaryDirectory(prefix="clinic-load-") as tmp:
        workdir = Path(tmp)
        with database(kind, workdir) as url:
            env = site_env(url, workdir, REDIS_URL="")  # counters in the scratch database, like the rows
            prepare(env)
            log_path = workdir / "gunicorn.log"
            started = time.monotonic()
            with running_site(env, log_path, workers=workers) as site:
                play(site.url, patients, clients, started + timeout, result)
            result.seconds = time.monotonic() - started
            result.stored = stored_counts(url, prefix="Load")
            log = log_path.read_text(errors="replace")
            result.locked_in_log = log.count("database is locked")
            result.patient_data_in_log = log.count("@example.com") + log.count("Load test request")
            result.request_lines_in_log = log.count("logger=clinic.requests")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--patients", type=int, default=2000, help="distinct submissions per database")
    parser.add_argument("--clients", type=int, default=32, help="concurrent patients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--timeout", type=float, default=600, help="stop sending after this many seconds")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = [run_load(kind, args.patients, args.clients, args.workers, args.timeout) for kind in kinds]
    for result in results:
        print(("PASS " if result.ok else "FAIL ") + result.summary())
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
