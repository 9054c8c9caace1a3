import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from appointments.forms import AppointmentRequestForm
from articles.models import Article
from clinic import details
from clinic.page_cache import cached_page
from operations.health import MailHealth

LATEST_ON_HOME = 3
# Errors that mean "the database is not answering", not "our code is wrong".
DATABASE_DOWN = (OperationalError, InterfaceError)
# SQLite raises OperationalError for a missing table or column too: a database that was
# not migrated, which sending the form again in a few minutes would not mend.
NOT_MIGRATED = ("no such table", "no such column", "has no column named")
RETRY_AFTER_SECONDS = 30


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    latest = Article.objects.published().in_language().for_cards()[:LATEST_ON_HOME]
    return render(request, "pages/home.html", {"latest_articles": latest})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html", {"retention_days": settings.APPOINTMENT_RETENTION_DAYS})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/robots.txt", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and bots that ask for /favicon.ico get our icon (its hashed static address)."""
    return redirect(static("favicon.svg"))


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not: the load balancer's question, and nothing else.

    The body also says how the background work is doing (when the worker and the scheduler
    last ran, how old the oldest unsent email is), for monitoring; it never changes the status.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    body = {"status": "ok", "database": "ok"}
    try:
        body |= MailHealth.read().as_json()
    except DatabaseError:  # the tables are missing (not migrated): the database itself answered
        body["background"] = "unknown"
    return JsonResponse(body)


@never_cache
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Every CSRF failure on the site (CSRF_FAILURE_VIEW); an appointment form keeps what the patient typed.

    A form that sat open too long (or lost its cookie) is not stored; it comes
    back filled in with a fresh CSRF token and a note asking to send it again.
    """
    if request.method == "POST" and "first_name" in request.POST:
        form = AppointmentRequestForm(request.POST)
        form.is_valid()
        context = {"form": form, "form_expired": True}
        return render(request, "appointments/request_form.html", context, status=403)
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the clinic's phone number and nothing that needs the database.

    Django calls this handler while the uncaught exception is being handled, in a
    view or a middleware alike: a database that does not answer is a 503 instead.
    Each request health-checks its connection afresh, so the site recovers by
    itself when the database is back.
    """
    if database_down(sys.exc_info()[1]):
        return database_unavailable()
    # Without the context processors: nothing here may need what just failed.
    return HttpResponse(render_to_string("500.html", {"clinic": details.last_known()}), status=500)


def database_down(error: BaseException | None) -> bool:
    """The database does not answer (a 503: send it again shortly), as against a configuration error (a 500)."""
    return isinstance(error, DATABASE_DOWN) and not any(sign in str(error) for sign in NOT_MIGRATED)


def database_unavailable() -> HttpResponse:
    """The 503 page: the clinic's phone number (the last details this worker read), rendered without the database."""
    response = HttpResponse(render_to_string("503.html", {"clinic": details.last_known()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
