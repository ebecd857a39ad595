"""The organizers' ceremony pages, under /jury/remise-des-prix/ in the judging namespace."""

from django.urls import path

from judging.views import ceremony

urlpatterns = [
    path("", ceremony.current, name="ceremony_current"),
    path("editions/<int:edition_pk>/", ceremony.invitations, name="ceremony_invitations"),
    path("editions/<int:edition_pk>/invites/", ceremony.guests, name="ceremony_guests"),
    path(
        "editions/<int:edition_pk>/invites/liste/",
        ceremony.guest_list,
        name="ceremony_guest_list",
    ),
    path("editions/<int:edition_pk>/envoyer/", ceremony.send, name="ceremony_send"),
    path("editions/<int:edition_pk>/relancer/", ceremony.resume, name="ceremony_resume"),
    path("editions/<int:edition_pk>/reponses.csv", ceremony.export_csv, name="ceremony_csv"),
    path(
        "editions/<int:edition_pk>/emargement.pdf",
        ceremony.sign_in_pdf,
        name="ceremony_sign_in",
    ),
    path("invitations/<int:pk>/renvoyer/", ceremony.resend_one, name="ceremony_resend"),
]
