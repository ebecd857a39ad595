"""Results: the organizers' prizes, decisions and publication pages."""

from django.urls import include, path

from judging.views import awards, schedule

organizer_urls = [
    path("", awards.current, name="awards_current"),
    path("editions/<int:edition_pk>/", awards.results_home, name="awards_home"),
    path("editions/<int:edition_pk>/prix/", awards.prizes_edit, name="awards_prizes"),
    path(
        "editions/<int:edition_pk>/prix/habituels/",
        awards.prizes_seed,
        name="awards_prizes_seed",
    ),
    path(
        "editions/<int:edition_pk>/prix-speciaux/",
        awards.edition_awards,
        name="awards_edition",
    ),
    path("editions/<int:edition_pk>/apercu/", awards.preview, name="awards_preview"),
    path("editions/<int:edition_pk>/publier/", awards.publish, name="awards_publish"),
    path("editions/<int:edition_pk>/programmer/", schedule.schedule, name="awards_schedule"),
    path(
        "programmations/<int:pk>/annuler/",
        schedule.schedule_cancel,
        name="awards_schedule_cancel",
    ),
    path(
        "editions/<int:edition_pk>/publications/",
        awards.publications,
        name="awards_publications",
    ),
    path("editions/<int:edition_pk>/prix-du-public/", awards.votes, name="awards_votes"),
    path("categories/<int:category_pk>/", awards.category_awards, name="awards_category"),
    path("prix/<int:prize_pk>/decision/", awards.award_decide, name="awards_decide"),
    path("publications/<int:pk>/", awards.publication_detail, name="awards_publication"),
    path("publications/<int:pk>/depublier/", awards.unpublish, name="awards_unpublish"),
    path("publications/<int:pk>/palmares.pdf", awards.publication_pdf, name="awards_pdf"),
    path(
        "publications/<int:pk>/diplomes.pdf",
        awards.publication_certificates,
        name="awards_certificates",
    ),
]

urlpatterns = [
    path("palmares/", include(organizer_urls)),
]
