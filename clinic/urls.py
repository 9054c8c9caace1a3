from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap

urlpatterns = [
    path("", include("pages.urls")),
    path("articles/", include("articles.urls")),
    path("appointments/", include("appointments.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"articles": ArticleSitemap}}, name="sitemap"),
]
# Uploaded images (article hero images) in local development; static() adds nothing when DEBUG is off.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "clinic.edge.bad_request"
handler500 = "pages.views.server_error"
