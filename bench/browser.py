"""A visitor's browser for the nginx test and the scale-out script: HTTPS (or plain HTTP to one app server),
cookies, the Origin header browsers send with a POST, and its own loopback source address.

Every 127.x.y.z address is this machine, so each visitor can come from its own address and the
site's rate limit counts it as its own client, as it would count patients on the internet.
"""

import http.client
import re
import socket
import ssl
import urllib.parse
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path

from urllib3 import encode_multipart_formdata

THANKS = "/appointments/thanks/"


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    def __init__(self, base: str, *, source: str = "127.0.0.1", cafile: Path | None = None, timeout: float = 60):
        parts = urllib.parse.urlsplit(base)
        self.base, self.secure, self.host, self.port = base, parts.scheme == "https", parts.hostname, parts.port
        self.source, self.timeout = source, timeout
        self.context = ssl.create_default_context(cafile=str(cafile)) if self.secure else None
        self.cookies: dict[str, str] = {}

    def connection(self) -> http.client.HTTPConnection:
        if self.secure:
            return http.client.HTTPSConnection(
                self.host, self.port, context=self.context, timeout=self.timeout, source_address=(self.source, 0)
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=(self.source, 0))

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        sent = {"Origin": self.base} if method == "POST" else {}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        sent.update(headers or {})
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return answer

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict | list, files: dict | None = None, **headers: str) -> Answer:
        """A form POST: urlencoded, or multipart with `files` ({name: (filename, bytes, content type)})."""
        if files:
            body, content_type = encode_multipart_formdata([*_pairs(fields), *files.items()])
        else:
            body, content_type = urllib.parse.urlencode(_pairs(fields)).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, headers={"Content-Type": content_type, **headers})


def _pairs(fields: dict | list) -> list[tuple[str, str]]:
    items = fields.items() if isinstance(fields, dict) else fields
    return [(name, item) for name, value in items for item in (value if isinstance(value, list) else [value])]


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def send_appointment(browser: Browser, first_name: str, files: dict | None = None, **headers: str) -> int:
    """A patient loads the form and sends it; the status of the POST (302 to the thank-you page when acknowledged)."""
    form = browser.get("/appointments/request/", **headers)
    if form.status != 200:
        return form.status
    fields = {name: hidden(form.text, name) for name in ("csrfmiddlewaretoken", "form_token")}
    fields |= {
        "first_name": first_name,
        "last_name": "Patient",
        "phone": "+1 202 555 0143",
        "email": f"{first_name.lower()}@example.com",
        "new_patient": "yes",
        "preferred_day": "monday",
        "preferred_time": "any",
        "message": "Scale-out test request.",
    }
    answer = browser.post("/appointments/request/", fields, files, **headers)
    if answer.status == 302 and answer.headers["Location"] != THANKS:
        return 0  # acknowledged somewhere else: not what a patient expects
    return answer.status


def sign_in_to_admin(browser: Browser, username: str, password: str, code: str) -> None:
    """Password and second factor (`code`: from the authenticator app, or a recovery code)."""
    page = browser.get("/admin/login/").text
    fields = {"csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"), "username": username, "password": password}
    fields["otp_token"] = code
    answer = browser.post("/admin/login/?next=/admin/", {**fields, "next": "/admin/"})
    if answer.status != 302:
        raise RuntimeError(f"admin sign-in answered {answer.status}")


def publish_article_with_picture(browser: Browser, title: str, slug: str, picture: bytes, alt: str) -> None:
    """A superuser adds and publishes an article with a hero image: the admin's add form, a multipart POST.

    Published at once as an urgent correction (the superuser's way past the medical review), so one
    POST makes it public; an editor's article would wait for a reviewer's approval first.
    """
    add = "/admin/articles/article/add/"
    page = browser.get(add).text
    fields = {
        "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
        "language": "en",
        "title": title,
        "slug": slug,
        "summary": f"{title}: a short summary.",
        "body": "<p>Published from one app server.</p>",
        "hero_image_alt": alt,
        "call_to_action": "appointment",
        "status": "published",
        "publish_without_review": "on",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    empty = (
        "translation_of",
        "category",
        "author",
        "medical_reviewer",
        "last_reviewed",
        "next_review_due",
        "published_at_0",
    )
    fields |= dict.fromkeys((*empty, "published_at_1"), "")
    answer = browser.post(add, fields, files={"hero_image": (f"{slug}.png", picture, "image/png")})
    if answer.status != 302:
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer.text, re.DOTALL)
        raise RuntimeError(f"the article admin answered {answer.status}: {errors}")


def slow_socket(port: int, source: str, opening: bytes, tls: bool = True) -> socket.socket:
    """A client that has sent only `opening` (part of a request); the caller dribbles the rest, or never does."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0))
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        sock = context.wrap_socket(sock)
    sock.sendall(opening)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """True when the other end closes the connection within `seconds` (anything it sends first is read)."""
    sock.settimeout(seconds)
    try:
        while sock.recv(1024):
            pass
    except TimeoutError:
        return False
    except OSError:
        pass  # reset or TLS alert: closed all the same
    return True
