"""The load generator (wrk) and the memory sampler used by run.py."""

import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

# wrk calls done() once at the end; each thread counts the responses that are
# not the status we expect (a form re-rendered with errors is a 200, not a 302).
REPORT_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread); thread:set("id", #threads) end
function init(args) failures = 0; expected = tonumber(args[1]); run = tonumber(args[2], 16) end
function response(status, headers, body) if status ~= expected then failures = failures + 1 end end
function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("failures") end
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"failed": %d, "socket_errors": %d}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), failed, e.connect + e.read + e.write + e.timeout))
end
"""

# A distinct form_token for every POST: the run's random id, the thread's id and its counter.
POST_LUA = """
local counter = 0
function request()
  counter = counter + 1
  local token = string.format("%08x-%04x-4%03x-8%03x-%012x", run, id,
    math.random(0, 0xfff), math.random(0, 0xfff), counter)
  return wrk.format("POST", nil, HEADERS, (string.gsub(BODY, "FORM_TOKEN", token)))
end
"""


def ensure_wrk() -> str:
    """wrk from PATH; on a fresh Debian/Ubuntu machine run as root, install it with apt-get."""
    found = shutil.which("wrk")
    if found:
        return found
    apt_get = shutil.which("apt-get")
    if os.geteuid() == 0 and apt_get:
        subprocess.run([apt_get, "install", "-y", "-q", "wrk"], check=True, timeout=300)
        return shutil.which("wrk") or sys.exit("apt-get installed wrk but it is not on PATH")
    sys.exit("The benchmark needs wrk: `sudo apt-get install wrk` (Debian/Ubuntu) or `brew install wrk` (macOS).")


def lua_script(directory: Path, name: str, post_body: str | None = None, cookie: str = "") -> Path:
    script = REPORT_LUA
    if post_body is not None:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        script += "BODY = " + json.dumps(post_body) + "\n"
        script += "HEADERS = {" + ", ".join(f'["{k}"] = {json.dumps(v)}' for k, v in headers.items()) + "}\n"
        script += POST_LUA
    path = directory / f"{name}.lua"
    path.write_text(script)
    return path


def run_wrk(wrk: str, url: str, script: Path, *, expected: int, seconds: int, connections: int) -> dict:
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url]
    command += ["--", str(expected), secrets.token_hex(4)]  # the run id keeps tokens distinct across runs
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    stats = json.loads(line[len("BENCH ") :])
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


class PeakRss:
    """Samples the RSS of a gunicorn master's workers while a load runs; .peak is the largest seen."""

    def __init__(self, master: int, interval: float = 0.2):
        self.master, self.interval, self.peak = master, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for pid in worker_pids(self.master):
                self.peak = max(self.peak, rss_mb(pid))
            time.sleep(self.interval)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
