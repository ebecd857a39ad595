from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("televersements/", include("media_pipeline.tus_urls")),
    # Not "media/": the local MEDIA_URL is served there in DEBUG.
    path("medias/", include("media_pipeline.urls")),
    path("jury/", include("judging.urls")),
    path("", include("festival.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
