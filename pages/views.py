from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from articles.models import Article

from .page_cache import cached_page

LATEST_ON_HOME = 3


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    latest = Article.objects.published().only("title", "slug", "summary", "published_at")[:LATEST_ON_HOME]
    return render(request, "pages/home.html", {"latest_articles": latest})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html", {"retention_days": settings.APPOINTMENT_RETENTION_DAYS})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/robots.txt", content_type="text/plain")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the clinic's phone number and nothing that needs the database."""
    return render(request, "500.html", status=500)
