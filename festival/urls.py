from django.urls import include, path

from festival.views import (
    accounts,
    calls,
    ceremony,
    companies,
    consent_kit,
    editions,
    files,
    organizer,
    privacy,
    school_data,
    teacher,
    transfers,
)

app_name = "festival"

account_urls = [
    path("connexion/", accounts.login_view, name="login"),
    path("deconnexion/", accounts.logout_view, name="logout"),
    path("apres-connexion/", accounts.after_login, name="after_login"),
    path("inscription/", accounts.signup, name="signup"),
    path("inscription/etablissements/", accounts.school_search, name="school_search"),
    path("mot-de-passe/<uidb64>/<token>/", accounts.set_password, name="set_password"),
    path("mot-de-passe-oublie/", accounts.password_reset, name="password_reset"),
    path("festivals/", accounts.teacher_festivals, name="teacher_festivals"),
]

teacher_urls = [
    path("", teacher.dashboard, name="teacher_dashboard"),
    path("films/nouveau/", teacher.film_create, name="teacher_film_create"),
    path("films/<int:pk>/", teacher.film_detail, name="teacher_film"),
    path("films/<int:pk>/modifier/", teacher.film_edit, name="teacher_film_edit"),
    path("films/<int:pk>/autorisations/", teacher.consent_upload, name="teacher_consent_upload"),
    path(
        "films/<int:pk>/autorisations/<int:consent_pk>/supprimer/",
        teacher.consent_delete,
        name="teacher_consent_delete",
    ),
    path("films/<int:pk>/droits/", teacher.film_rights, name="teacher_film_rights"),
    path("films/<int:pk>/kit-autorisations/", consent_kit.guide, name="teacher_consent_kit"),
    path(
        "films/<int:pk>/kit-autorisations/autorisation-droit-image.pdf",
        consent_kit.consent_form,
        name="teacher_consent_kit_form",
    ),
    path("films/<int:pk>/deposer/", teacher.film_submit, name="teacher_film_submit"),
    path("films/<int:pk>/depose/", teacher.film_submitted, name="teacher_film_submitted"),
    path("films/<int:pk>/retirer/", teacher.film_withdraw, name="teacher_film_withdraw"),
    path("films/<int:pk>/reprendre/", teacher.film_restore, name="teacher_film_restore"),
    path("films/<int:pk>/contacts/", companies.teacher_contact_add, name="teacher_contact_add"),
    path(
        "films/<int:pk>/contacts/<int:contact_pk>/supprimer/",
        companies.teacher_contact_delete,
        name="teacher_contact_delete",
    ),
    path("entreprises-volontaires/", companies.teacher_volunteers, name="teacher_volunteers"),
]

organizer_urls = [
    path("", organizer.dashboard, name="organizer_dashboard"),
    path("films/", organizer.film_list, name="organizer_films"),
    path("films/export.csv", organizer.film_export, name="organizer_films_csv"),
    path("films/<int:pk>/", organizer.film_detail, name="organizer_film"),
    path("films/<int:pk>/decision/", organizer.film_decision, name="organizer_film_decision"),
    path("films/<int:pk>/statut/", organizer.film_status, name="organizer_film_status"),
    path("autorisations/<int:pk>/", organizer.consent_review, name="organizer_consent_review"),
    path("enseignants/", organizer.teacher_list, name="organizer_teachers"),
    path(
        "enseignants/<int:pk>/decision/", organizer.teacher_decide, name="organizer_teacher_decide"
    ),
    path("invitations/", organizer.invite, name="organizer_invite"),
    path("etablissements/", school_data.school_list, name="organizer_schools"),
    path("etablissements/<int:pk>/", school_data.school_detail, name="organizer_school"),
    path(
        "etablissements/<int:pk>/export/",
        school_data.school_export,
        name="organizer_school_export",
    ),
    path(
        "etablissements/<int:pk>/effacement/",
        school_data.school_erasure,
        name="organizer_school_erasure",
    ),
    path(
        "etablissements/<int:pk>/effacement/confirmer/",
        school_data.school_erase,
        name="organizer_school_erase",
    ),
    path(
        "festival-de-travail/",
        organizer.switch_working_festival,
        name="organizer_switch_festival",
    ),
    path("festival/", editions.festival_edit, name="organizer_festival"),
    path(
        "festival/donnees-personnelles/",
        privacy.legal_texts_edit,
        name="organizer_legal_texts",
    ),
    path("editions/", editions.edition_list, name="organizer_editions"),
    path("editions/nouvelle/", editions.edition_create, name="organizer_edition_create"),
    path("editions/<int:pk>/", editions.edition_detail, name="organizer_edition"),
    path("editions/<int:pk>/modifier/", editions.edition_edit, name="organizer_edition_edit"),
    path(
        "editions/<int:pk>/remise-des-prix/",
        ceremony.ceremony_edit,
        name="organizer_edition_ceremony",
    ),
    path(
        "editions/<int:pk>/remise-des-prix/ouvrir/",
        ceremony.ceremony_open,
        name="organizer_edition_ceremony_open",
    ),
    path(
        "editions/<int:pk>/remise-des-prix/fermer/",
        ceremony.ceremony_close,
        name="organizer_edition_ceremony_close",
    ),
    path(
        "editions/<int:pk>/edition-suivante/",
        editions.edition_prepare_next,
        name="organizer_edition_prepare_next",
    ),
    path(
        "editions/<int:edition_pk>/categories/nouvelle/",
        editions.category_create,
        name="organizer_category_create",
    ),
    path("categories/<int:pk>/modifier/", editions.category_edit, name="organizer_category_edit"),
    path(
        "categories/<int:pk>/supprimer/",
        editions.category_delete,
        name="organizer_category_delete",
    ),
    path("appels/", calls.call_list, name="organizer_calls"),
    path("appels/nouveau/", calls.call_create, name="organizer_call_create"),
    path("appels/<int:pk>/", calls.call_detail, name="organizer_call"),
    path("appels/<int:pk>/modifier/", calls.call_edit, name="organizer_call_edit"),
    path("appels/<int:pk>/apercu/", calls.call_preview, name="organizer_call_preview"),
    path("appels/<int:pk>/test/", calls.call_test, name="organizer_call_test"),
    path("appels/<int:pk>/envoyer/", calls.call_send, name="organizer_call_send"),
    path("appels/<int:pk>/progression/", calls.call_progress, name="organizer_call_progress"),
    path("appels/<int:pk>/relancer/", calls.call_resume, name="organizer_call_resume"),
    path("appels/<int:pk>/reessayer/", calls.call_retry_failed, name="organizer_call_retry_failed"),
    path("metiers/", editions.trade_list, name="organizer_trades"),
    path("metiers/<int:pk>/modifier/", editions.trade_edit, name="organizer_trade_edit"),
    path("metiers/<int:pk>/supprimer/", editions.trade_delete, name="organizer_trade_delete"),
    path("entreprises/", companies.company_list, name="organizer_companies"),
    path("entreprises/<int:pk>/", companies.company_detail, name="organizer_company"),
    path(
        "entreprises/<int:pk>/accord/",
        companies.company_agreement,
        name="organizer_company_agreement",
    ),
    path(
        "entreprises/<int:pk>/contacts/",
        companies.company_contact_add,
        name="organizer_company_contact_add",
    ),
    path(
        "entreprises/<int:pk>/contacts/<int:contact_pk>/supprimer/",
        companies.company_contact_delete,
        name="organizer_company_contact_delete",
    ),
    path(
        "entreprises/volontaires/nouvelle/",
        companies.volunteer_create,
        name="organizer_volunteer_create",
    ),
    path("entreprises/<int:pk>/volontaire/", companies.volunteer_edit, name="organizer_volunteer"),
    path(
        "entreprises/<int:pk>/volontaire/retirer/",
        companies.volunteer_delete,
        name="organizer_volunteer_delete",
    ),
    path("finales/", transfers.transfer_list, name="organizer_transfers"),
    path(
        "finales/films/<int:pk>/proposer/",
        transfers.transfer_offer,
        name="organizer_transfer_offer",
    ),
    path("finales/propositions/<int:pk>/", transfers.transfer_detail, name="organizer_transfer"),
    path(
        "finales/envois/<int:pk>/retirer/",
        transfers.transfer_withdraw,
        name="organizer_transfer_withdraw",
    ),
    path(
        "finales/propositions/<int:pk>/accepter/",
        transfers.transfer_accept,
        name="organizer_transfer_accept",
    ),
    path(
        "finales/propositions/<int:pk>/decliner/",
        transfers.transfer_decline,
        name="organizer_transfer_decline",
    ),
]

file_urls = [
    path("films/<int:pk>/original/", files.original_video, name="file_original_video"),
    path("autorisations/<int:pk>/", files.consent_file, name="file_consent"),
]

urlpatterns = [
    path("compte/", include(account_urls)),
    path("enseignant/", include(teacher_urls)),
    path("organisation/", include(organizer_urls)),
    path("fichiers/", include(file_urls)),
    path(
        "appel-a-films/desinscription/<str:token>/",
        calls.call_unsubscribe,
        name="call_unsubscribe",
    ),
]
