"""Whole public pages kept in each worker's memory, rebuilt when what they show changes.

A page is cached under its URL, its language and the content version: the
answers of the PAGE_CACHE_VERSIONS parts, each a function giving SQL expressions
(what its tables hold: counts, latest ids and update times, or the values
themselves), all asked in ONE query at most once per PAGE_CACHE_VERSION_SECONDS
per worker. So an editor's publish, edit or delete, a scheduled article going
live, and a new phone number in the clinic's details show within that second.
Entries also expire after PAGE_CACHE_SECONDS (the bound for writes that leave
no trace in those figures, such as QuerySet.update() without updated_at). The
parts are named in settings, so this module depends on no app.

Nothing that belongs to one visitor is ever cached: a page is rendered once with
placeholders for the CSRF token, the appointment form's submission token and the
CSP nonce, and every visitor gets the placeholders replaced with values of their
own. Pages with no placeholders get an ETag and answer conditional GETs with 304.
Visitors with a session (staff) bypass the cache.
"""

import hashlib
import logging
import secrets
import time
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from clinic.failures import cause

logger = logging.getLogger(__name__)

# Random per process, so no article text can forge them; only hex, so escaping never alters them.
CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(20)
FORM_TOKEN_PLACEHOLDER = "form" + secrets.token_hex(16)
NONCE_PLACEHOLDER = "nonce" + secrets.token_hex(16)


def placeholders(request: HttpRequest) -> dict[str, str] | None:
    """The placeholders to render instead of per-visitor values, while a page is being cached."""
    return getattr(request, "_page_cache_placeholders", None)


def form_initial(request: HttpRequest) -> dict[str, str]:
    """Initial data for an unbound appointment form: a placeholder token while caching."""
    return {"form_token": FORM_TOKEN_PLACEHOLDER} if placeholders(request) else {}


_version: tuple[float, dict[str, list]] | None = None  # (when asked, each part's answers), one per process


def version_parts() -> dict[str, list]:
    """Each PAGE_CACHE_VERSIONS part's answers, from one query asked at most once per PAGE_CACHE_VERSION_SECONDS."""
    global _version
    now = time.monotonic()
    if _version is None or now - _version[0] >= settings.PAGE_CACHE_VERSION_SECONDS:
        parts = {path: import_string(path)() for path in settings.PAGE_CACHE_VERSIONS}
        columns = [column for expressions, _params in parts.values() for column in expressions]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(columns), [p for _columns, params in parts.values() for p in params])
            row = iter(cursor.fetchone())
        _version = (now, {path: [next(row) for _column in expressions] for path, (expressions, _p) in parts.items()})
    return _version[1]


def content_version() -> str:
    """What every cached page is keyed by: all the parts' answers."""
    return "|".join(str(answer) for answers in version_parts().values() for answer in answers)


def clear() -> None:
    """Forget every cached page and the content version, in this process."""
    global _version
    _version = None
    caches[settings.PAGE_CACHE_ALIAS].clear()


def _key(request: HttpRequest) -> str:
    version = content_version()
    raw = f"{version}|{get_language()}|{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _render_with_placeholders(view: Callable, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    request._page_cache_placeholders = {"csrf_token": CSRF_PLACEHOLDER}
    visitor_nonce = getattr(request, "csp_nonce", None)
    request.csp_nonce = NONCE_PLACEHOLDER
    try:
        return view(request, *args, **kwargs)
    finally:
        del request._page_cache_placeholders
        request.csp_nonce = visitor_nonce


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # A real CSRF token reached the page (get_token outside the placeholders): never cache that.
        logger.warning("Not caching %s: it holds a visitor's CSRF token", request.path)
        return False
    return True


def _fill(request: HttpRequest, content: str) -> tuple[str, bool]:
    """The page with this visitor's own values in place of the placeholders; True if it has any."""
    per_visitor = False
    if CSRF_PLACEHOLDER in content:
        content, per_visitor = content.replace(CSRF_PLACEHOLDER, get_token(request)), True
    while FORM_TOKEN_PLACEHOLDER in content:  # one fresh token per form on the page
        content, per_visitor = content.replace(FORM_TOKEN_PLACEHOLDER, str(uuid.uuid4()), 1), True
    if NONCE_PLACEHOLDER in content:
        content, per_visitor = content.replace(NONCE_PLACEHOLDER, str(request.csp_nonce)), True
    return content, per_visitor


def _respond(request: HttpRequest, page: dict) -> HttpResponse:
    content, per_visitor = _fill(request, page["content"])
    response = HttpResponse(content, content_type=page["content_type"])
    if per_visitor:
        return response
    response["ETag"] = page["etag"]
    return get_conditional_response(request, etag=page["etag"], response=response)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous GET of `view` from the page cache (see the module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = _key(request)
        try:
            page = cache.get(key)
        except Exception as error:  # a cache that misbehaves costs speed, never the page
            logger.warning("Page cache unavailable for %s, page rendered afresh (%s).", request.path, cause(error))
            return view(request, *args, **kwargs)
        if page is None:
            response = _render_with_placeholders(view, request, *args, **kwargs)
            if response.streaming:
                return response
            content = response.content.decode(response.charset)
            if not _cacheable(request, response):
                response.content = _fill(request, content)[0]
                return response
            etag = '"' + hashlib.blake2b(content.encode(), digest_size=16).hexdigest() + '"'
            page = {"content": content, "content_type": response["Content-Type"], "etag": etag}
            try:
                cache.set(key, page, settings.PAGE_CACHE_SECONDS)
            except Exception as error:
                logger.warning("Page cache unavailable for %s, page not kept (%s).", request.path, cause(error))
        return _respond(request, page)

    return wrapper
