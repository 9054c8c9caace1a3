from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap
from pages import views as pages_views

urlpatterns = [
    path("", include("pages.urls")),
    path("articles/", include("articles.urls")),
    path("appointments/", include("appointments.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", pages_views.healthz, name="healthz"),
    path("robots.txt", pages_views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": {"articles": ArticleSitemap}}, name="sitemap"),
]

handler500 = "pages.views.server_error"
