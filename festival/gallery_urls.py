from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from festival.views import gallery

app_name = "gallery"

palmares_urls = [
    path("", gallery.palmares, name="palmares"),
    path("atom.xml", gallery.PalmaresFeed(), name="palmares_feed"),
]

film_urls = [
    path("", gallery.film_detail, name="film"),
    path("integrer/", gallery.embed, name="embed"),
    path("affiche.jpg", gallery.poster, name="poster"),
]

urlpatterns = [
    path("palmares/", gallery.archive, name="archive"),
    path("palmares/<slug:festival>/<int:year>/", include(palmares_urls)),
    path("galerie/", gallery.gallery, name="gallery"),
    path("films/<int:pk>/", include(film_urls)),
    path("oembed/", gallery.oembed, name="oembed"),
    path("sitemap.xml", sitemap, {"sitemaps": gallery.SITEMAPS}, name="sitemap"),
]
