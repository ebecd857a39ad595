"""The demo's ceremony: the current edition's page opened, invitations sent to the finalists,
their companies, the jurors and a few guests, with a mix of answers; the palmarès scheduled for
the announcement during the ceremony (the demo's current edition is not published yet)."""

from datetime import timedelta

from django.utils import timezone

from festival.domain.ceremony import open_ceremony, save_ceremony
from festival.models import Edition, User
from judging.domain.ceremony_invitations import Guest, add_guests, record_answer, sync_invitations
from judging.domain.scheduled_publication import schedule_publication
from judging.models_ceremony import CeremonyInvitation, InvitationKind, SendingStatus
from judging.selectors_results import live_publication

GUESTS = [
    Guest("Anne Vignot", "cabinet@besancon.example", "Ville de Besançon"),
    Guest(
        "Rectorat — mission école-entreprise",
        "ecole-entreprise@ac-besancon.example",
        "Académie de Besançon",
    ),  # fmt: skip
    Guest("Jean-Luc Moreau", "jl.moreau@cci-fc.example", "CCI Bourgogne-Franche-Comté"),
    Guest("Pôle Véhicule du Futur", "contact@vehiculedufutur.example", "Pôle de compétitivité"),
]

PROGRAMME = """18 h 00 : accueil des classes et des familles
18 h 30 : projection des films finalistes
19 h 30 : annonce du palmarès et remise des prix
20 h 15 : cocktail avec les entreprises partenaires"""


def create_demo_ceremony(*, edition: Edition, organizer: User) -> None:
    # The evening of the ceremony's day, as its programme says.
    evening = timezone.localtime(edition.ceremony_at).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    ceremony = save_ceremony(
        edition=edition,
        organizer=organizer,
        ceremony_at=evening,
        place="Théâtre Ledoux — Scène nationale",
        address="49 rue Mégevand\n25000 Besançon",
        programme=PROGRAMME,
        transport="Tram lignes 1 et 2, arrêt Révolution ; bus 3, 4 et 5, arrêt Granvelle.",
        parking="Parking Marché-Beaux-Arts (payant), à 300 m ; dépose des cars rue Mégevand.",
        accessibility=(
            "Salle de plain-pied, places réservées aux fauteuils roulants, boucle magnétique. "
            "Prévenez-nous dans votre réponse : nous vous accueillons à l'entrée."
        ),
    )
    open_ceremony(ceremony=ceremony, organizer=organizer)
    add_guests(edition=edition, organizer=organizer, guests=GUESTS)
    sync_invitations(edition=edition)
    # The demo shows invitations already sent, without writing to anyone while it loads.
    sent_at = timezone.now() - timedelta(days=2)
    CeremonyInvitation.objects.filter(edition=edition).update(
        status=SendingStatus.SENT, sent_at=sent_at
    )
    # A mix of answers: most classes come with their families, a company and a guest decline,
    # a few stay silent.
    for index, invitation in enumerate(CeremonyInvitation.objects.filter(edition=edition)):
        if index % 4 == 3:
            continue  # no answer yet
        if index % 5 == 4:
            record_answer(invitation=invitation, coming=False, people=None,
                          note="Désolé, nous avons un conseil de classe ce soir-là.")  # fmt: skip
            continue
        people = 18 + index % 7 * 4 if InvitationKind.CLASS in invitation.roles else 1 + index % 3
        note = "Un élève en fauteuil roulant." if people == 22 else ""
        record_answer(invitation=invitation, coming=True, people=people, note=note)
    if live_publication(edition) is None:
        schedule_publication(
            edition=edition,
            user=organizer,
            publish_at=evening + timedelta(hours=1, minutes=30),
        )
