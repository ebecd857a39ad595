"""The public site. Paths are the ones published in emails, feeds and partners' pages."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from public.feeds import FestivalFeed, PalmaresFeed
from public.sitemaps import SITEMAPS
from public.views import (
    audience,
    ceremony,
    companies,
    finalists,
    gallery,
    home,
    impact,
    privacy,
    trades,
    votes,
)

app_name = "public"

palmares_urls = [
    path("", gallery.palmares, name="palmares"),
    path("atom.xml", PalmaresFeed(), name="palmares_feed"),
]

film_urls = [
    path("", gallery.film_detail, name="film"),
    path("integrer/", gallery.embed, name="embed"),
    path("affiche.jpg", gallery.poster, name="poster"),
    path("lecture/", audience.film_play, name="film_play"),
]

festival_urls = [
    path("", home.festival_home, name="festival"),
    path("editions/", gallery.festival_archive, name="festival_archive"),
    path("atom.xml", FestivalFeed(), name="festival_feed"),
    path("<int:year>/calendrier.ics", home.edition_calendar_file, name="edition_calendar"),
    path("donnees-personnelles/", privacy.privacy, name="festival_privacy"),
    path("mentions-legales/", privacy.legal_notice, name="festival_legal_notice"),
    path("<int:year>/finalistes/", finalists.finalists, name="finalists"),
    path("<int:year>/remise-des-prix/", ceremony.ceremony_page, name="ceremony"),
]

ceremony_answer_urls = [
    path("", ceremony.answer, name="ceremony_answer"),
    path("merci/", ceremony.answered, name="ceremony_answered"),
    path("remise-des-prix.ics", ceremony.calendar_file, name="ceremony_calendar"),
]

# The impact report: organizers' pages, here since it reads every layer.
impact_urls = [
    path("", impact.festival_report, name="impact"),
    path("bilan.csv", impact.festival_csv, name="impact_csv"),
    path("bilan.pdf", impact.festival_pdf, name="impact_pdf"),
    path("plateforme/", impact.platform_report, name="platform_impact"),
    path("plateforme/bilan.csv", impact.platform_csv, name="platform_impact_csv"),
    path("plateforme/bilan.pdf", impact.platform_pdf, name="platform_impact_pdf"),
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
    path("organisation/bilan/", include(impact_urls)),
    path("donnees-personnelles/", privacy.privacy, name="privacy"),
    path("mentions-legales/", privacy.legal_notice, name="legal_notice"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("remise-des-prix/reponse/<str:token>/", include(ceremony_answer_urls)),
    # Under /jury/ since the first edition: confirmation links sent by email must keep working.
    path("jury/prix-du-public/", include(vote_urls)),
]
