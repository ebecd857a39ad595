"""The results pages, under /jury/resultats/ in the judging namespace."""

from django.urls import path

from judging.views import results

urlpatterns = [
    path("", results.current, name="results_current"),
    path("editions/<int:edition_pk>/", results.ranking, name="results"),
    path("editions/<int:edition_pk>/options/", results.options, name="results_options"),
    path("editions/<int:edition_pk>/films/", results.explanations, name="results_films"),
    path("editions/<int:edition_pk>/accord/", results.agreement, name="results_agreement"),
    path(
        "editions/<int:edition_pk>/films/<int:film_pk>/",
        results.explanation,
        name="results_film",
    ),
    path(
        "editions/<int:edition_pk>/telechargements/<str:filename>",
        results.download,
        name="results_download",
    ),
    path("films/<int:film_pk>/fiche-retour.pdf", results.feedback_sheet, name="results_feedback"),
]
