"""Fault test: Redis (cache and rate-limit counters) is killed mid-run and brought back; no patient is lost.

    .venv/bin/python -m bench.redis_faults                 # 300 patients over ~20 s, Redis down for 6 s
    .venv/bin/python -m bench.redis_faults --patients 60 --outage 3 --database postgres

Starts a PRIVATE redis-server on a free loopback port (bench.redis_server: the shared
one is never touched), serves the site from gunicorn with REDIS_URL pointing at it,
and plays patients arriving steadily (every other one double-clicks). Mid-run it
kills redis-server (SIGKILL, as a crash), waits, and starts it again on the same
port, empty. Passes when no response was a 5xx, every patient was acknowledged
(302) on the first send, every acknowledged request is stored exactly once, each
request sent while Redis was down logged one WARNING naming the cause and no
patient data reached the log, and the rate limit counts again in Redis once it is
back. Bounded by --timeout; everything it started is stopped and removed.
"""

import argparse
import contextlib
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.faults import Run, patient_until_acknowledged
from bench.harness import prepare, running_site, scratch_database, site_env, stored_counts
from bench.redis_server import private_redis
from tests.postgres import postgres_server_url

WARNING = "Rate limit not counted for one request, which was let through (ConnectionError"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rate", type=float, default=15, help="patients arriving per second")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--before", type=float, default=5, help="seconds of patients before Redis is killed")
    parser.add_argument("--outage", type=float, default=6, help="seconds Redis stays down")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--timeout", type=float, default=240)
    args = parser.parse_args(argv)
    if args.patients / args.rate < args.before + args.outage + 1:
        parser.error("patients must still be arriving a second after Redis is back: raise --patients or --rate")

    run = Run()
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clinic-redis-faults-")))
        redis = stack.enter_context(private_redis())
        server = postgres_server_url() if args.database == "postgres" else None
        database_url = stack.enter_context(scratch_database(tmp, "clinic_redis_faults", server))
        env = site_env(database_url, tmp, REDIS_URL=redis.url, CACHE_KEY_PREFIX="redis-faults")
        prepare(env)
        log_path = tmp / "gunicorn.log"
        deadline = time.monotonic() + args.timeout
        with running_site(env, log_path, workers=args.workers) as site:
            base = site.url
            started = time.monotonic()  # patients arrive from now on, at --rate
            pool = ThreadPoolExecutor(args.clients)
            futures = [
                pool.submit(patient_until_acknowledged, base, n, run, started + n / args.rate, deadline)
                for n in range(args.patients)
            ]
            time.sleep(args.before)
            # On a loaded machine the first requests may time out on Redis (1 s) and be let through
            # uncounted: kill it only once it holds a counter, so the run shows counting before and after.
            while redis.keys() == 0 and time.monotonic() < deadline:
                time.sleep(0.1)
            before = len(run.acknowledged)
            counted_before = redis.keys()
            redis.kill()
            print(f"redis-server killed after {before} acknowledged requests", flush=True)
            time.sleep(args.outage)
            during = len(run.acknowledged) - before
            redis.start()
            print(f"redis-server started again; {during} requests acknowledged while it was down", flush=True)
            for future in futures:
                future.result()
            pool.shutdown()
            counted_after = redis.keys()
        seconds = time.monotonic() - started
        stored = stored_counts(database_url, prefix="Fault")
        log = log_path.read_text(errors="replace")

    lost = sorted(name for name in run.acknowledged if stored.get(name, 0) == 0)
    duplicated = sorted(name for name, count in stored.items() if count > 1)
    errors_5xx = sum(n for status, n in run.statuses.items() if status >= 500)
    no_answer = run.statuses.get(0, 0)
    warnings = log.count(WARNING)
    patient_data = log.count("@example.com") + log.count("Load test request") + log.count("Fault1")
    form_posts = run.posts
    ok = (
        not lost
        and not duplicated
        and errors_5xx == 0
        and no_answer == 0
        and not run.gave_up
        and len(run.acknowledged) == args.patients
        and sum(stored.values()) == args.patients
        and during > 0
        and warnings > 0
        and patient_data == 0
        and counted_before > 0
        and counted_after > 0
    )
    print(
        ("PASS " if ok else "FAIL ")
        + f"redis-faults: database={args.database} patients={args.patients} posts_sent={form_posts} "
        f"acknowledged={len(run.acknowledged)} stored={sum(stored.values())} lost={len(lost)} "
        f"duplicated={len(duplicated)} gave_up={len(run.gave_up)} 5xx={errors_5xx} no_answer={no_answer} "
        f"statuses={dict(sorted(run.statuses.items()))} acknowledged_while_down={during} "
        f"warnings_in_log={warnings} patient_data_in_log={patient_data} "
        f"redis_keys_before_kill={counted_before} redis_keys_after_restart={counted_after} seconds={seconds:.1f}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
