"""Site-wide request and response plumbing: one log line per request, without patient data; static file headers;
the language of each request, from its address."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from csp import constants as csp_constants
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

logger = logging.getLogger("clinic.requests")

# For responses that are not pages (static files, uploaded images): nothing in them may run or be framed.
STRICT_CSP = "default-src 'none'; frame-ancestors 'none'"

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SAFE_METHOD = re.compile(r"[A-Z]{1,16}")


class RequestLogMiddleware:
    """One key=value line per request: method, path (never the query string), status, duration.

    Bodies, query strings and headers other than a well-formed X-Request-ID are
    never logged, so nothing a patient typed reaches the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response.headers.setdefault("X-Request-ID", request_id)
        logger.info(
            "method=%s path=%s status=%d duration_ms=%d request_id=%s",
            request.method if _SAFE_METHOD.fullmatch(request.method or "") else "OTHER",
            quote(request.path, safe="/"),
            response.status_code,
            (time.monotonic() - started) * 1000,
            request_id,
        )
        return response


def static_file_headers(headers, path: str, url: str) -> None:
    """WhiteNoise's hook (WHITENOISE_ADD_HEADERS_FUNCTION): static files skip the CSP middleware; give them the
    strictest policy."""
    headers["Content-Security-Policy"] = STRICT_CSP


class LanguageFromAddressMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, for a site whose address alone names the language (i18n_patterns with
    English unprefixed, settings.LANGUAGES): /es/… is Spanish, every other path English, the admin included.

    Neither a cookie nor Accept-Language is read (LocaleMiddleware reads and then discards them on every
    unprefixed request), so responses do not vary by Accept-Language; Content-Language says which it is.
    """

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()  # what the thread does next (another request, a task) starts in the default
        return response


NONCE_MARK = "csp-nonce-" + "0" * 22  # stands for a response's nonce in the policy written once


@lru_cache(maxsize=2)
def _site_policy(with_nonce: bool) -> str:
    """The site's Content-Security-Policy as django-csp writes it, once per process (and per settings change)."""
    return build_policy(nonce=NONCE_MARK if with_nonce else None)


@receiver(setting_changed)
def _forget_site_policy(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's CSPMiddleware, with the site's one policy written once rather than on every response.

    A response that changes its policy (the article editor's style hash), is exempt or has its own header,
    and every response while a report-only policy or excluded prefixes are set, goes through django-csp.
    """

    OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt", "_csp_config_ro", "_csp_update_ro")

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        own = any(hasattr(response, name) for name in self.OWN_POLICY) or csp_constants.HEADER in response
        excluding = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES")
        if own or excluding or settings.DEBUG or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        if policy := _site_policy(nonce is not None):
            response[csp_constants.HEADER] = policy.replace(NONCE_MARK, nonce) if nonce else policy
        if nonce is None:  # as django-csp does: a nonce asked for after the header was written is an error
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
