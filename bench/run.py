"""The benchmark: every page of the site against the bare Django ceiling, in one run.

    make bench        (or: .venv/bin/python -m bench.run --help)

Sets up a throw-away database with a realistic dataset, starts the site and the
baselines (bench/baseline/) under the same gunicorn configuration, loads each
page with wrk, and prints throughput, latency, memory, SQL queries and page
weight, with PASS/FAIL for every target. Stops by itself; cleans up after itself.
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import urllib.parse
from contextlib import AbstractContextManager, ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench import pages
from bench.harness import (
    ROOT,
    HarnessError,
    Server,
    prepare,
    python,
    running_site,
    scratch_database,
    site_env,
    stored_counts,
)
from bench.load import PeakRss, ensure_wrk, lua_script, run_wrk
from bench.report import print_report
from tests.postgres import with_database

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


def bench_database(tmp: Path) -> AbstractContextManager[str]:
    """A temporary SQLite file, or `<name>_bench` beside the PostgreSQL database DATABASE_URL names."""
    if database_kind() == "sqlite":
        return scratch_database(tmp, "bench")
    url = os.environ["DATABASE_URL"]
    return scratch_database(tmp, urllib.parse.urlsplit(url).path.lstrip("/") + "_bench", with_database(url, "postgres"))


def database_kind() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def bench_env(tmp: Path, database_url: str) -> dict[str, str]:
    # The bare project's own database: on SQLite a file of its own, so it keeps SQLite's default
    # journal mode (WAL, once set, stays with a file); on PostgreSQL the site's database.
    bare_database_url = f"sqlite:///{tmp / 'bare.sqlite3'}" if database_kind() == "sqlite" else database_url
    return site_env(
        database_url,
        tmp,
        BASELINE_DATABASE_URL=bare_database_url,
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),  # INFO measures per-request logging too
    )


def set_up(env: dict, args: argparse.Namespace) -> None:
    prepare(env)
    print(python(env, "-m", "bench.seed", str(args.articles), str(args.requests)).strip())
    # The bare POST's table, in the bare project's database and in the site's.
    for site_database in ("0", "1"):
        baseline_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.baseline.settings"}
        baseline_env["BASELINE_SITE_DATABASE"] = site_database
        python(baseline_env, "-m", "django", "migrate", "--run-syncdb", "--verbosity", "0", timeout=60)


# The same gunicorn for the site and the baselines; no worker recycling mid-run (at bench rates
# it would restart workers every second or so).
GUNICORN_OPTIONS = ("--timeout", "60", "--max-requests", "0")


def baseline_server(env: dict, log: Path, workers: int) -> AbstractContextManager[Server]:
    env = {**env, "DJANGO_SETTINGS_MODULE": "bench.baseline.settings"}
    return running_site(
        env, log, workers=workers, app="bench.baseline.wsgi", ready_path="/page/", options=GUNICORN_OPTIONS
    )


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
    line = f"  {name:<16} {stats['rps']:7.0f} req/s, baseline {stats['baseline']['rps']:7.0f} req/s"
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


def measure(args, tmp: Path, wrk: str, env: dict, site: Server, bare: Server, bare_site_db: Server) -> dict:
    site_url, site_pid, bare_url = site.url, site.pid, bare.url
    article = pages.first_article(site_url)
    paths = {"home": "/", "article list": "/articles/", "article": article, "search": "/articles/?q=sleep"}
    paths |= {"Spanish article": pages.first_article(site_url, "/es"), "form GET": FORM_PATH}
    probe = json.loads(python(env, "-m", "bench.probe", *paths.values()))
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
    also = bare_site_db.url + "/post/"
    runs["form POST"] = pair(args, tmp, wrk, "form POST", target, bare_url + "/post/", also=also, **post)
    patient = pages.PATIENT["first_name"]
    runs["form POST"]["stored"] = stored_counts(env["DATABASE_URL"], patient).get(patient, 0)
    return {"runs": runs, "first_visit": pages.first_visit(site_url, article), "article": article}


def main() -> int:
    args = parse_args()
    wrk = ensure_wrk()

    def give_up(*_):
        raise TimeoutError(f"the benchmark ran past --hard-timeout={args.hard_timeout} s")

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(args.hard_timeout)
    started = datetime.now(UTC)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clinic-bench-")))
        env = bench_env(tmp, stack.enter_context(bench_database(tmp)))
        set_up(env, args)
        site = stack.enter_context(running_site(env, tmp / "site.log", workers=args.workers, options=GUNICORN_OPTIONS))
        bare = stack.enter_context(baseline_server(env, tmp / "bare.log", args.workers))
        site_db_env = {**env, "BASELINE_SITE_DATABASE": "1"}
        bare_site_db = stack.enter_context(baseline_server(site_db_env, tmp / "bare-site-db.log", args.workers))
        results = measure(args, tmp, wrk, env, site, bare, bare_site_db)
    results.update(started=started.isoformat(timespec="seconds"), args=vars(args), database=database_kind())
    passed = print_report(results)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{started:%Y%m%dT%H%M%S}.json").write_text(json.dumps(results, indent=2))
    return 0 if passed else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (TimeoutError, HarnessError) as error:
        sys.exit(f"Stopped: {error}. Servers and temporary files were cleaned up.")
