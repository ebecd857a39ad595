from django.urls import path

from media_pipeline import views

app_name = "media_pipeline"

urlpatterns = [
    path("films/<int:pk>/etat/", views.status, name="status"),
    path("films/<int:pk>/affiche/", views.choose_poster, name="poster"),
    path("films/<int:pk>/sous-titres/", views.add_subtitles, name="subtitles"),
    path("films/<int:pk>/relancer/", views.retry, name="retry"),
    path("v/<str:token>/<path:path>", views.media, name="media"),
]
