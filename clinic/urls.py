from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, PageSitemap
from clinic import media

# The patient side in every language: English at these paths, Spanish under /es/ (SPEC.md).
urlpatterns = i18n_patterns(
    path("", include("pages.urls")),
    path("articles/", include("articles.urls")),
    path("appointments/", include("appointments.urls")),
    prefix_default_language=False,
)
urlpatterns += [
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap, "articles": ArticleSitemap}}, name="sitemap"),
    # Uploaded images, in production too (MEDIA_URL), from local files or S3.
    path("media/<path:name>", media.serve, name="media"),
]

handler400 = "clinic.edge.bad_request"
handler500 = "pages.views.server_error"
