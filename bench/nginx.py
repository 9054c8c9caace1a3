"""Debian's nginx with deploy/nginx.conf, on loopback, in front of gunicorn servers the caller started.

The deploy file is used as written; only what belongs to the machine is swapped (the listening
ports, the app servers, the certificate and the cache folder), each swap checked, so the file
and this module cannot drift apart unnoticed. A throw-away self-signed certificate is made here.
"""

import contextlib
import datetime
import ipaddress
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bench.harness import ROOT, free_port

CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# Debian's main configuration does the same (and includes conf.d/*.conf in `http`).
MAIN_CONFIG = """\
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/clinic.conf;
}}
"""


@dataclass(frozen=True)
class Edge:
    https_port: int
    http_port: int
    certificate: Path  # what clients trust
    prefix: Path

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"


def available() -> bool:
    return Path(NGINX).exists()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A one-day certificate for 127.0.0.1 and localhost; returns (certificate, key) paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "clinic.pem", folder / "clinic.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def _swap(text: str, pattern: str, replacement: str, count: int) -> str:
    new, found = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if found != count:
        raise AssertionError(f"deploy/nginx.conf: expected {count} line(s) matching {pattern!r}, found {found}")
    return new


def render(upstreams: list[str], *, https_port: int, http_port: int, cert: Path, key: Path, cache: Path) -> str:
    """deploy/nginx.conf for this machine: loopback ports, these app servers ("127.0.0.1:8123"), these files."""
    text = CONFIG.read_text()
    text = _swap(text, r"^\s*listen \[::\]:\d+.*\n", "", 2)  # loopback IPv4 only
    text = _swap(text, r"^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{http_port};", 1)
    text = _swap(text, r"^(\s*)listen 443 ssl http2;", rf"\g<1>listen 127.0.0.1:{https_port} ssl http2;", 1)
    servers = "".join(f"    server {upstream} max_fails=3 fail_timeout=10s;\n" for upstream in upstreams)
    text = _swap(text, r"^\s*server 127\.0\.0\.1:8000 .*\n", servers, 1)
    text = _swap(text, r"^(\s*)ssl_certificate \S+;", rf"\g<1>ssl_certificate {cert};", 1)
    text = _swap(text, r"^(\s*)ssl_certificate_key \S+;", rf"\g<1>ssl_certificate_key {key};", 1)
    return _swap(text, r"^proxy_cache_path /var/cache/nginx/clinic ", f"proxy_cache_path {cache} ", 1)


@contextlib.contextmanager
def running_nginx(upstreams: list[str], https_port: int | None = None) -> Iterator[Edge]:
    """nginx with deploy/nginx.conf in front of `upstreams`, in a temporary prefix; stopped and removed afterwards.

    `https_port` (a free_port() chosen beforehand) lets the app servers know their public origin before it starts.
    """
    # Readable by nginx's unprivileged workers when this runs as root (they cannot enter pytest's 0700 folders).
    prefix = Path(tempfile.mkdtemp(prefix="clinic-nginx-"))
    prefix.chmod(0o755)
    try:
        cert, key = self_signed_certificate(prefix)
        edge = Edge(https_port or free_port(), free_port(), cert, prefix)
        site = render(
            upstreams, https_port=edge.https_port, http_port=edge.http_port, cert=cert, key=key, cache=prefix / "cache"
        )
        (prefix / "clinic.conf").write_text(site)
        (prefix / "nginx.conf").write_text(MAIN_CONFIG.format(prefix=prefix))
        command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        if checked.returncode:
            raise RuntimeError(f"nginx -t refused the configuration:\n{checked.stderr}")
        with (prefix / "nginx.out").open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_for_port(edge.https_port, process, seconds=20)
            yield edge
        finally:
            process.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight, then exit
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nginx did not listen on {port} within {seconds} s")
