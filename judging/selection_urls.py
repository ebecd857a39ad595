"""The pre-selection pages, under /jury/preselection/ in the judging namespace."""

from django.urls import path

from judging.views import selection

urlpatterns = [
    path("editions/<int:edition_pk>/", selection.settings, name="selection_settings"),
    path("editions/<int:edition_pk>/classement/", selection.ranking, name="selection_ranking"),
    path("editions/<int:edition_pk>/verifier/", selection.check, name="selection_check"),
    path("editions/<int:edition_pk>/annuler/", selection.cancel, name="selection_cancel"),
]
