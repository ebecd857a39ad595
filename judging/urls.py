from django.urls import include, path

from judging.views import juror, organizer

app_name = "judging"

organizer_urls = [
    path("", organizer.home, name="organizer_home"),
    path("edition/", organizer.switch_edition, name="organizer_switch_edition"),
    path("editions/<int:edition_pk>/", organizer.jury_list, name="organizer_juries"),
    path("editions/<int:edition_pk>/preparer/", organizer.set_up, name="organizer_set_up"),
    path("editions/<int:edition_pk>/reglages/", organizer.settings_edit, name="organizer_settings"),
    path("editions/<int:edition_pk>/grille/", organizer.criteria_edit, name="organizer_criteria"),
    path(
        "editions/<int:edition_pk>/jurys/nouveau/",
        organizer.jury_create,
        name="organizer_jury_create",
    ),
    path(
        "editions/<int:edition_pk>/rappel/",
        organizer.reminders_send,
        name="organizer_reminders",
    ),
    path("jurys/<int:pk>/", organizer.jury_detail, name="organizer_jury"),
    path("jurys/<int:pk>/modifier/", organizer.jury_edit, name="organizer_jury_edit"),
    path("jurys/<int:pk>/membres/", organizer.member_add, name="organizer_member_add"),
    path(
        "jurys/<int:pk>/membres/inviter/",
        organizer.member_invite,
        name="organizer_member_invite",
    ),
    path(
        "jurys/<int:pk>/attributions/calculer/",
        organizer.assignments_compute,
        name="organizer_assignments_compute",
    ),
    path(
        "jurys/<int:pk>/attributions/ajouter/",
        organizer.assignment_add,
        name="organizer_assignment_add",
    ),
    path("jurys/<int:pk>/suivi/", organizer.progress, name="organizer_progress"),
    path("membres/<int:pk>/formation/", organizer.member_trainee, name="organizer_member_trainee"),
    path("membres/<int:pk>/retirer/", organizer.member_remove, name="organizer_member_remove"),
    path(
        "attributions/<int:pk>/retirer/",
        organizer.assignment_remove,
        name="organizer_assignment_remove",
    ),
    path(
        "evaluations/<int:pk>/rouvrir/",
        organizer.evaluation_reopen,
        name="organizer_evaluation_reopen",
    ),
    path(
        "jures/<int:pk>/affiliations/",
        organizer.juror_affiliations,
        name="organizer_juror_affiliations",
    ),
]

juror_urls = [
    path("", juror.dashboard, name="juror_dashboard"),
    path("films/<int:film_pk>/", juror.watch, name="juror_film"),
    path("films/<int:film_pk>/brouillon/", juror.draft, name="juror_draft"),
    path("films/<int:film_pk>/valider/", juror.validate, name="juror_validate"),
    path("films/<int:film_pk>/visionnage/", juror.progress, name="juror_progress"),
    path("films/<int:film_pk>/conflit/", juror.conflict, name="juror_conflict"),
    path("deliberation/<int:jury_pk>/", juror.deliberation, name="deliberation"),
    path(
        "deliberation/<int:jury_pk>/decisions/",
        juror.decisions,
        name="deliberation_decisions",
    ),
]

urlpatterns = [
    path("organisation/", include(organizer_urls)),
    path("jure/", include(juror_urls)),
    path("", include("judging.awards_urls")),
    path("resultats/", include("judging.results_urls")),
    path("remise-des-prix/", include("judging.ceremony_urls")),
    path("preselection/", include("judging.selection_urls")),
]
