"""Demo data of the pupils' privacy: the festival's personal-data and legal-notice texts, the
pupils on screen every submitted film declares (covered by its validated consents), and one
current film short of consents, which its organizers see on their film list."""

from django.db.models import Count, Q

from festival.domain.privacy import save_legal_texts
from festival.enums import ConsentStatus, FilmStatus
from festival.models import Festival, Film, User

TEXTS = {
    "data_controller": (
        "UIMM Franche-Comté, union des industries et métiers de la métallurgie, "
        "syndicat professionnel, 5 rue de la Forge, 25000 Besançon."
    ),
    "rights_email": "donnees-personnelles@filmit-fc.example",
    "rights_postal_address": "UIMM Franche-Comté\nDonnées personnelles — FILM'IT\n"
    "5 rue de la Forge\n25000 Besançon",
    "dpo_contact": "Service juridique de l'UIMM Franche-Comté, dpo@uimm-fc.example",
    "hosting_provider": "Hébergeur Exemple SAS, 1 rue du Serveur, 69000 Lyon, 04 00 00 00 00. "
    "Les données restent en France.",
    "publication_director": "La présidente de l'UIMM Franche-Comté",
    "publisher": "UIMM Franche-Comté, 5 rue de la Forge, 25000 Besançon, SIRET 000 000 000 00000.",
    "privacy_extra": (
        "Les photographies prises pendant la remise des prix suivent les mêmes règles : "
        "seuls les élèves dont les parents ont signé l'autorisation y apparaissent."
    ),
    "legal_extra": "Conception de la plateforme : l'équipe FILM'IT.",
}
# The demo film whose consents do not cover its pupils on screen: two are missing.
MISSING = 2


def load_privacy_demo(*, festival: Festival, organizer: User, films: list[Film]) -> Film | None:
    save_legal_texts(festival=festival, organizer=organizer, **TEXTS)
    ids = [film.pk for film in films if film.status != FilmStatus.DRAFT]
    counted = Film.objects.filter(pk__in=ids).annotate(
        validated=Count("consents", filter=Q(consents__status=ConsentStatus.VALIDATED))
    )
    short = None
    for film in counted.order_by("pk"):
        # Each demo consent PDF gathers the forms of the pupils one sees.
        film.pupils_on_screen = max(film.validated, 1)
        if short is None and film.status == FilmStatus.SUBMITTED and film.validated:
            film.pupils_on_screen = film.validated + MISSING
            short = film
        film.save(update_fields=["pupils_on_screen"])
    return short
