from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap
from clinic import media

urlpatterns = [
    path("", include("pages.urls")),
    path("articles/", include("articles.urls")),
    path("appointments/", include("appointments.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"articles": ArticleSitemap}}, name="sitemap"),
    # Uploaded images, in production too (MEDIA_URL), from local files or S3.
    path("media/<path:name>", media.serve, name="media"),
]

handler400 = "clinic.edge.bad_request"
handler500 = "pages.views.server_error"
