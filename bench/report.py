"""The table and the PASS/FAIL lines run.py prints."""

import os

PAGE_RATIO = 0.6  # home, article list, the article pages: at least this share of the bare GET
POST_RATIO = 0.8  # form POST: at least this share of the bare POST
MAX_QUERIES = 3
MAX_FIRST_VISIT_KB = 60
MAX_RSS_MB = 120
RATIO_PAGES = ("home", "article list", "article", "Spanish article")


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _print_post_calibration(runs: dict, post: dict, database: str) -> None:
    """The bare POST against the issue's anchor, and the site against a bare POST on its own tuned database."""
    bare_post = post["baseline"]["rps"]
    bare_gets = [run["baseline"]["rps"] for name, run in runs.items() if name != "form POST"]
    if bare_gets:
        bare_get = sum(bare_gets) / len(bare_gets)
        anchor = " (the issue's anchor, on SQLite: about 490 req/s, 0.22x)" if database == "sqlite" else ""
        print(
            f"The bare POST (Django's default database settings): {bare_post:.0f} req/s, "
            f"{bare_post / bare_get:.2f}x the bare GET{anchor}"
        )
    if also := post.get("also"):
        print(
            f"For information: the site's POST is {post['also_ratio']:.2f}x a bare POST on the site's own tuned "
            f"database settings ({also['rps']:.0f} req/s, {also['failed']} failed)\n"
        )


def print_report(results: dict) -> bool:
    runs = results["runs"]
    args = results["args"]
    print(f"\nBenchmark {results['started']} on {os.cpu_count()} CPUs, {results['database']}, ", end="")
    print(f"{args['workers']} gunicorn sync workers, wrk {args['connections']} connections, ", end="")
    print(f"{args['rounds']} x {args['seconds']} s per endpoint and per baseline")
    header = f"{'endpoint':<16}{'req/s':>7}{'baseline':>9}{'ratio':>7}{'p50 ms':>8}{'p99 ms':>8}{'RSS MB':>7}"
    print(header + f"{'SQL':>6}{'HTML KB':>8}{'1st KB':>7}{'failed':>7}")
    for name, run in runs.items():
        queries = "/".join(str(n) for n in run["queries"]) if "queries" in run else "-"
        html = f"{run['html_bytes'] / 1024:.1f}" if "html_bytes" in run else "-"
        first = f"{run['first_visit_bytes'] / 1024:.1f}" if "first_visit_bytes" in run else "-"
        print(
            f"{name:<16}{run['rps']:7.0f}{run['baseline']['rps']:9.0f}{run['ratio']:6.2f}x"
            f"{run['p50_us'] / 1000:8.1f}{run['p99_us'] / 1000:8.1f}{run['rss_mb']:7.0f}{queries:>6}{html:>8}"
            f"{first:>7}{run['failed']:>7}"
        )
    print("baseline: the bare GET (bench/baseline/) for pages, the bare POST for the form POST, measured in")
    print("slices alternating with the page, on Django's default database settings; SQL: queries with a")
    print("cold cache / a warm cache; 1st KB: HTML + CSS + JS compressed on a first visit")
    visit = results["first_visit"]
    print(f"\nFirst visit to {results['article']}: HTML {visit['html_gzip'] / 1024:.1f} KB gzip", end="")
    for src, asset in visit["assets"].items():
        print(f", {src.rsplit('/', 1)[-1]} {asset['bytes'] / 1024:.1f} KB {asset['encoding']}", end="")
    print(f"; total {visit['total'] / 1024:.1f} KB")
    checks = []
    for name in RATIO_PAGES:
        if name in runs:
            ratio = runs[name]["ratio"]
            checks.append((ratio >= PAGE_RATIO, f"{name}: {ratio:.2f}x the bare GET (target >= {PAGE_RATIO}x)"))
    if post := runs.get("form POST"):
        posted = post["requests"] + post["warmup_requests"]
        print(f"Form POST: {post['stored']} requests stored for {posted} answered POSTs (warm-up included)\n")
        _print_post_calibration(runs, post, results["database"])
        ratio, failed, bare_failed = post["ratio"], post["failed"], post["baseline"]["failed"]
        line = f"form POST: {ratio:.2f}x the bare POST (target >= {POST_RATIO}x), {failed} failed, "
        line += f"p99 {post['p99_us'] / 1000:.1f} ms; the bare POST: {bare_failed} failed"
        # A baseline that answered some POSTs with errors was not doing the work: no ratio against it counts.
        checks.append((ratio >= POST_RATIO and failed == 0 and bare_failed == 0, line))
        # Every answered POST had its own token, so each must have stored a row (in-flight ones may add more).
        checks.append((post["stored"] >= posted, f"form POST: every answered POST stored ({post['stored']} rows)"))
    if pages := {name: run for name, run in runs.items() if "queries" in run}:
        worst = max(pages.items(), key=lambda item: max(item[1]["queries"]))
        most = max(worst[1]["queries"])
        line = f"SQL queries: at most {most} per public page ({worst[0]}; target <= {MAX_QUERIES})"
        checks.append((most <= MAX_QUERIES, line))
    total_kb = visit["total"] / 1024
    blocking = visit["blocking_scripts"]
    checks.append(
        (
            total_kb < MAX_FIRST_VISIT_KB and not blocking,
            f"first visit to an article: {total_kb:.1f} KB compressed (target < {MAX_FIRST_VISIT_KB} KB), "
            f"render-blocking scripts: {', '.join(blocking) or 'none'}",
        )
    )
    site_rss = max(run["rss_mb"] for run in runs.values())
    checks.append((site_rss < MAX_RSS_MB, f"worker memory: {site_rss:.0f} MB peak RSS (target < {MAX_RSS_MB} MB)"))
    for ok, line in checks:
        print(f"{_verdict(ok)}  {line}")
    return all(ok for ok, _line in checks)
