"""The benchmark: every page of the site against the bare Django ceiling, in one run.

    make bench        (or: .venv/bin/python -m bench.run --help)

Sets up a throw-away database with a realistic dataset, starts the site and the
baselines (bench/baseline/) under the same gunicorn configuration, loads each
page with wrk, and prints throughput, latency, memory, SQL queries and page
weight, with PASS/FAIL for every target. Stops by itself; cleans up after itself.
"""

import argparse
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from bench import database, pages
from bench.load import PeakRss, ensure_wrk, lua_script, run_wrk
from bench.report import print_report

ROOT = Path(__file__).resolve().parent.parent
FORM_PATH = "/appointments/request/"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=2, help="length of one slice of load (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="slices per endpoint and per baseline (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured load before each run (default 1)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--requests", type=int, default=5000, help="stored appointment requests")
    parser.add_argument("--only", action="append", help="measure only this endpoint (repeatable), e.g. 'form POST'")
    parser.add_argument("--hard-timeout", type=int, default=900, help="seconds before the run gives up")
    return parser.parse_args()


def bench_env(tmp: Path, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(
        SECRET_KEY="bench-" + secrets.token_hex(16),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; no TLS proxy in front
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        APPOINTMENT_RATE_LIMIT="100000000/m",  # one client sends every request
        STATIC_ROOT=str(tmp / "static"),
        DATABASE_URL=database_url,
        BASELINE_DATABASE_URL=database.baseline_database_url(tmp, database_url),
        CACHE_KEY_PREFIX="bench-" + secrets.token_hex(4),
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),  # INFO measures per-request logging too
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="clinic.settings",
    )
    return env


def manage(env: dict, *command: str, timeout: int = 300) -> str:
    done = subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(env: dict, args: argparse.Namespace) -> None:
    manage(env, "manage.py", "migrate", "--noinput")
    manage(env, "manage.py", "collectstatic", "--noinput")
    print(manage(env, "-m", "bench.seed", str(args.articles), str(args.requests)).strip())
    database.create_baseline_table(env)


@contextlib.contextmanager
def gunicorn(module: str, env: dict, log: Path, workers: int, ready_path: str):
    port = database.free_port()
    command = [sys.executable, "-m", "gunicorn", module, "-w", str(workers), "-k", "sync"]
    command += ["-b", f"127.0.0.1:{port}", "--timeout", "60", "--no-control-socket"]
    # No worker recycling mid-run: at bench rates it would restart workers every second or so.
    command += ["--max-requests", "0", "--error-logfile", "-"]
    env = {**env, "DJANGO_SETTINGS_MODULE": module.rsplit(".", 1)[0] + ".settings"}
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                pages.fetch(base + ready_path)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    sys.exit(f"{module} did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield base, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def pair(
    args, tmp: Path, wrk: str, name: str, target: tuple, bare_url: str, expected: int = 200, also: str = "", **post
) -> dict:
    """Load a page and its baseline in alternating slices, so drift on a shared machine hits both alike.

    `also` is a second baseline measured in the same slices, for information.
    """
    url, master = target
    options = {"expected": expected, "connections": args.connections}
    script = lua_script(tmp, name.replace(" ", "_"), **post)
    baselines = [bare_url, also] if also else [bare_url]
    warmup = 0
    if args.warmup:
        warmup = run_wrk(wrk, url, script, seconds=args.warmup, **options)["requests"]
        for baseline_url in baselines:
            run_wrk(wrk, baseline_url, script, seconds=args.warmup, **options)
    page, bare = [], {baseline_url: [] for baseline_url in baselines}
    with PeakRss(master) as memory:
        for _round in range(args.rounds):
            for baseline_url in baselines:
                bare[baseline_url].append(run_wrk(wrk, baseline_url, script, seconds=args.seconds, **options))
            page.append(run_wrk(wrk, url, script, seconds=args.seconds, **options))
    stats = combine(page)
    stats.update(rss_mb=memory.peak, warmup_requests=warmup, baseline=combine(bare[bare_url]))
    stats["ratio"] = stats["rps"] / stats["baseline"]["rps"]
    line = f"  {name:<12} {stats['rps']:7.0f} req/s, baseline {stats['baseline']['rps']:7.0f} req/s"
    if also:
        stats["also"] = combine(bare[also])
        stats["also_ratio"] = stats["rps"] / stats["also"]["rps"]
        line += f", bare POST on the site's database settings {stats['also']['rps']:7.0f} req/s"
    print(line, flush=True)
    return stats


def combine(rounds: list[dict]) -> dict:
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["duration_us"] for r in rounds) / 1e6
    by_p50 = sorted(r["p50_us"] for r in rounds)
    return {
        "requests": requests,
        "rps": requests / seconds,
        "p50_us": by_p50[len(by_p50) // 2],
        "p99_us": max(r["p99_us"] for r in rounds),
        "failed": sum(r["failed"] + r["socket_errors"] for r in rounds),
        "rounds_rps": [round(r["rps"]) for r in rounds],
    }


def measure(args, tmp: Path, wrk: str, env: dict, site: tuple, bare: tuple, bare_site_db: tuple) -> dict:
    site_url, site_pid = site
    bare_url, _bare_pid = bare
    article = pages.first_article(site_url)
    paths = {"home": "/", "article list": "/articles/", "article": article, "search": "/articles/?q=sleep"}
    paths["form GET"] = FORM_PATH
    probe = json.loads(manage(env, "-m", "bench.probe", *paths.values()))
    fields, cookie = pages.form_post(site_url, FORM_PATH)
    runs: dict[str, dict] = {}
    print(f"Each endpoint: {args.rounds} rounds of {args.seconds} s, alternating with its baseline:")
    wanted = set(args.only or [*paths, "form POST"])
    for name, path in paths.items():
        if name not in wanted:
            continue
        runs[name] = pair(args, tmp, wrk, name, (site_url + path, site_pid), bare_url + "/page/")
        runs[name].update(probe[path], path=path, first_visit_bytes=pages.first_visit(site_url, path)["total"])
    if "form POST" not in wanted:
        return {"runs": runs, "first_visit": pages.first_visit(site_url, article), "article": article}
    post = {"expected": 302, "post_body": urllib.parse.urlencode(fields), "cookie": cookie}
    target = (site_url + FORM_PATH, site_pid)
    also = bare_site_db[0] + "/post/"
    runs["form POST"] = pair(args, tmp, wrk, "form POST", target, bare_url + "/post/", also=also, **post)
    runs["form POST"]["stored"] = database.stored_requests(env, "Maria")
    return {"runs": runs, "first_visit": pages.first_visit(site_url, article), "article": article}


def main() -> int:
    args = parse_args()
    wrk = ensure_wrk()

    def give_up(*_):
        raise TimeoutError(f"the benchmark ran past --hard-timeout={args.hard_timeout} s")

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(args.hard_timeout)
    started = datetime.now(UTC)
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clinic-bench-")))
        database_url = stack.enter_context(database.bench_database(tmp))
        env = bench_env(tmp, database_url)
        prepare(env, args)
        site = stack.enter_context(gunicorn("clinic.wsgi", env, tmp / "site.log", args.workers, "/healthz"))
        bare = stack.enter_context(gunicorn("bench.baseline.wsgi", env, tmp / "bare.log", args.workers, "/page/"))
        site_db_env = {**env, "BASELINE_SITE_DATABASE": "1"}
        bare_site_db = stack.enter_context(
            gunicorn("bench.baseline.wsgi", site_db_env, tmp / "bare-site-db.log", args.workers, "/page/")
        )
        results = measure(args, tmp, wrk, env, site, bare, bare_site_db)
    results.update(started=started.isoformat(timespec="seconds"), args=vars(args), database=database.kind())
    passed = print_report(results)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{started:%Y%m%dT%H%M%S}.json").write_text(json.dumps(results, indent=2))
    return 0 if passed else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except TimeoutError as error:
        sys.exit(f"Stopped: {error}. Servers and temporary files were cleaned up.")
