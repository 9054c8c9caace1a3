"""What the site refuses before any view runs, each refusal a plain page with the security headers:
bodies it cannot need or read, and hosts it does not serve."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.files.uploadhandler import FileUploadHandler
from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware import security
from django.template.loader import render_to_string
from django.utils.translation import get_language_from_path, override

from . import details

# The appointment form at its longest (a 2,000-character message, every character percent-encoded
# UTF-8) is under 30 KB; nothing else public takes a body. The margin is wide on purpose: a patient who
# pastes far too much into every box gets the form's own "please shorten" messages, with what they typed
# kept, rather than a bare refusal.
PUBLIC_BODY_BYTES = 256 * 1024
# The admin takes pictures up to articles.forms.MAX_IMAGE_MB (5 MB) with the rest of the article form.
STAFF_BODY_BYTES = 16 * 1024 * 1024
# Browsers send forms in UTF-8 and name no charset; Django reads a form body in nothing else.
READABLE_CHARSET = "utf-8"


class AllowedHostMiddleware:
    """Just outside Django's SecurityMiddleware, whose HTTPS redirect asks for the host first: a host we do not
    serve is answered here (Django's 400), with that middleware's headers and those of the ones outside."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.security = security.SecurityMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost as refused:
            return self.security.process_response(request, response_for_exception(request, refused))
        return self.get_response(request)


def is_staff_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(f"/{settings.ADMIN_URL}")


class RequestBodyMiddleware:
    """Before anything reads the body (CSRF, sessions, views): refuse it unread when no page of ours can need it.

    Public pages take small bodies (413 past PUBLIC_BODY_BYTES), the admin uploads up to STAFF_BODY_BYTES;
    a charset other than UTF-8 is a 400 everywhere (Django would answer it with a 500).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        staff = is_staff_path(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return refused(400, request)
        if length > (STAFF_BODY_BYTES if staff else PUBLIC_BODY_BYTES):
            return refused(413, request)
        charset = request.content_params.get("charset")
        if charset is not None and charset.strip().lower() != READABLE_CHARSET:
            return refused(400, request)
        return None


class FileRefused(MultiPartParserError):
    """Django marks the body as unreadable and answers 400 (handler400 below)."""


class PublicPagesTakeNoFiles(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: a file part sent to a public page is refused as it starts, before any
    of it is kept in memory or spooled to disk. The admin's picture uploads go on to Django's own handlers."""

    def new_file(self, *args, **kwargs) -> None:
        if not is_staff_path(self.request):
            raise FileRefused("Public pages take no files.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: the plain page, for a request Django could not read (a file part, a malformed body, a host)."""
    return refused(400, request)


def refused(status: int, request: HttpRequest) -> HttpResponse:
    """A plain page that needs no database and no session: the clinic's phone (as this process last read the
    record, as the 500 and 503 pages give it) and a way back, in the language of the address (/es/…)."""
    with override(get_language_from_path(request.path_info) or settings.LANGUAGE_CODE):
        context = {"clinic": details.last_known(), "too_large": status == 413}
        page = render_to_string("request_refused.html", context)
    response = HttpResponse(page, status=status)
    response["Cache-Control"] = "no-store"
    return response
