"""What run.py learns from the site's own pages: an article's address, form fields, assets.

Nothing here depends on the page layout beyond standard HTML: links, inputs,
selects, stylesheets and scripts.
"""

import gzip
import re
import urllib.request
from email.message import Message
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urljoin

ARTICLE_LINK = re.compile(r"^(/es)?/articles/(?!feed/|category/|tag/)[-\w]+/$")

# What a patient types (SPEC.md field names); anything else in the form is sent back as served.
PATIENT = {
    "first_name": "Maria",
    "last_name": "Gonzalez",
    "phone": "(202) 555-0143",
    "email": "maria.gonzalez@example.com",
    "new_patient": "yes",
    "preferred_day": "tuesday",
    "preferred_time": "morning",
    "message": "Follow-up about fatigue.",
}


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.blocking_scripts: list[str] = []
        self.inputs: dict[str, str] = {}
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "link" and "stylesheet" in (a.get("rel") or "").split():
            self.stylesheets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
            if self.in_head and "async" not in a and "defer" not in a and a.get("type") != "module":
                self.blocking_scripts.append(a["src"])
        elif tag in ("input", "textarea", "select") and a.get("name"):
            self.inputs.setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def fetch(url: str, encoding: str = "identity") -> tuple[bytes, Message]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), response.headers


def parse(html: bytes) -> PageParser:
    parser = PageParser()
    parser.feed(html.decode())
    return parser


def first_article(base: str, language_prefix: str = "") -> str:
    """The first link on the article list (in a language: "/es") that leads to an article with the request form."""
    html, _headers = fetch(base + language_prefix + "/articles/")
    for link in dict.fromkeys(link for link in parse(html).links if ARTICLE_LINK.match(link)):
        page, _headers = fetch(base + link)
        if "form_token" in parse(page).inputs:
            return link
    raise LookupError(f"No article page with the appointment form is linked from {language_prefix}/articles/")


def form_post(base: str, path: str) -> tuple[dict[str, str], str]:
    """The form's fields filled as a patient would, and the CSRF cookie that goes with them."""
    html, headers = fetch(base + path)
    cookie = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    fields = {**parse(html).inputs, **PATIENT}
    fields["form_token"] = "FORM_TOKEN"  # noqa: S105 - replaced by a distinct token on every request
    return fields, "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())


def first_visit(base: str, path: str) -> dict:
    """Compressed bytes of the HTML (gzip, as a proxy would send it) and of each CSS/JS file as served."""
    html, _headers = fetch(base + path)
    page = parse(html)
    assets = {}
    for src in page.stylesheets + page.scripts:
        body, headers = fetch(urljoin(base + path, src), "br, gzip")
        assets[src] = {"bytes": len(body), "encoding": headers.get("Content-Encoding", "identity")}
    html_gz = len(gzip.compress(html, compresslevel=6))
    return {
        "html_gzip": html_gz,
        "assets": assets,
        "total": html_gz + sum(asset["bytes"] for asset in assets.values()),
        "blocking_scripts": page.blocking_scripts,
    }
