from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from config.language import set_language
from media_pipeline import views as media_views

urlpatterns = [
    # Load balancers' probe: plain HTTP answered too (SECURE_REDIRECT_EXEMPT).
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("televersements/", include("media_pipeline.tus_urls")),
    # Media are never served from MEDIA_ROOT directly: only through signed, per-user links.
    path("medias/", include("media_pipeline.urls")),
    path("jury/", include("judging.urls")),
    # The teacher's video form keeps the address it had under the teachers' pages: a page left
    # open during an upgrade still posts its upload there.
    path("enseignant/films/<int:pk>/video/", media_views.upload_video, name="teacher_film_video"),
    path("", include("festival.urls")),
    path("", include("public.urls")),
]
