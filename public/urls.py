"""The public site. Paths are the ones published in emails, feeds and partners' pages."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from public.feeds import FestivalFeed, PalmaresFeed
from public.sitemaps import SITEMAPS
from public.views import companies, finalists, gallery, home, trades, votes

app_name = "public"

palmares_urls = [
    path("", gallery.palmares, name="palmares"),
    path("atom.xml", PalmaresFeed(), name="palmares_feed"),
]

film_urls = [
    path("", gallery.film_detail, name="film"),
    path("integrer/", gallery.embed, name="embed"),
    path("affiche.jpg", gallery.poster, name="poster"),
]

festival_urls = [
    path("", home.festival_home, name="festival"),
    path("editions/", gallery.festival_archive, name="festival_archive"),
    path("atom.xml", FestivalFeed(), name="festival_feed"),
    path("<int:year>/calendrier.ics", home.edition_calendar_file, name="edition_calendar"),
    path("<int:year>/finalistes/", finalists.finalists, name="finalists"),
]

vote_urls = [
    path("<int:edition_pk>/", votes.vote_home, name="vote_home"),
    path(
        "<int:edition_pk>/categories/<int:category_pk>/voter/",
        votes.vote_submit,
        name="vote_submit",
    ),
    path("confirmer/<str:token>/", votes.vote_confirm, name="vote_confirm"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("festivals/<slug:slug>/", include(festival_urls)),
    path("palmares/", gallery.archive, name="archive"),
    path("palmares/<slug:festival>/<int:year>/", include(palmares_urls)),
    path("galerie/", gallery.gallery, name="gallery"),
    path("films/<int:pk>/", include(film_urls)),
    path("entreprises/<int:pk>/", companies.company_detail, name="company"),
    path("oembed/", gallery.oembed, name="oembed"),
    path("metiers/", trades.trade_list, name="trades"),
    path("metiers/<slug:slug>/", trades.trade_detail, name="trade"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Under /jury/ since the first edition: confirmation links sent by email must keep working.
    path("jury/prix-du-public/", include(vote_urls)),
]
