from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("televersements/", include("media_pipeline.tus_urls")),
    # Media are never served from MEDIA_ROOT directly: only through signed, per-user links.
    path("medias/", include("media_pipeline.urls")),
    path("jury/", include("judging.urls")),
    path("", include("festival.urls")),
    path("", include("public.urls")),
]
