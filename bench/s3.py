"""A private S3-compatible server (moto's server mode) on a free loopback port, for the tests and scripts.

Each caller makes its own bucket; the server keeps everything in memory and is stopped on the way out.
"""

import contextlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3

from bench.harness import ROOT, free_port

# moto accepts any credentials; the site and boto3 only need some to sign with.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "moto-testing", "AWS_SECRET_ACCESS_KEY": "moto-testing-secret"}
REGION = "us-east-1"


@contextlib.contextmanager
def moto_server(log_path: Path) -> Iterator[str]:
    """moto_server on 127.0.0.1 and a free port, until it answers; yields its endpoint URL."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(endpoint, process, seconds=60)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(endpoint: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"moto_server did not answer at {endpoint} within {seconds} s")


def client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def new_bucket(endpoint: str, prefix: str = "clinic") -> str:
    """A new, empty bucket of a name nobody else uses."""
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=name)
    return name


def site_env(endpoint: str, bucket: str) -> dict[str, str]:
    """The variables a deployer sets for uploads on S3 (django-storages), for this server and bucket."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **CREDENTIALS,
    }
