"""Demo data of the partner companies: contacts, agreements to appear on the public site (some
companies, not all), the festival's volunteer companies and a prize one of them offers.

Called by `public.demo` before last year's palmarès is published, so that the sponsor is in
its frozen snapshot.
"""

from festival.domain.companies import add_contact, record_agreement, save_volunteer
from festival.models import Company, Edition, Festival, Trade, User
from judging.domain.awards import seed_prizes
from judging.enums import PrizeKind

# (company index, name, role, email)
CONTACTS = [
    (0, "Nathalie Bourgeois", "Responsable des ressources humaines", "rh@decolletage-hd.example"),
    (0, "Olivier Jacquot", "Chef d'atelier", "atelier@decolletage-hd.example"),
    (1, "Sandrine Vuillet", "Chargée de communication", "communication@forges-fc.example"),
    (2, "Pascal Grosjean", "Directeur de site", "direction@microtech-comtoises.example"),
    (4, "Aurélie Mougin", "Responsable formation", "formation@aciers-belfort.example"),
]
# The companies that agreed to appear on the public site; the others stay unnamed there.
AGREED = [0, 1, 2, 4]
# (company index, trade names, contact, email, phone, offer)
VOLUNTEERS = [
    (
        3,
        ["Plasturgiste", "Contrôleur qualité"],
        "Marine Cattin",
        "accueil@plasturgie-jura.example",
        "03 84 00 00 01",
        "Une journée de tournage dans l'atelier d'injection, de janvier à mars, et le "
        "témoignage d'une jeune plasturgiste.",
    ),
    (
        5,
        ["Roboticien", "Technicien de maintenance industrielle"],
        "Yves Tournier",
        "ecoles@mobilites-nfc.example",
        "",
        "Visite de la ligne d'assemblage et tournage avec les roboticiens, deux classes par an.",
    ),
    (
        1,
        ["Chaudronnier"],
        "Sandrine Vuillet",
        "communication@forges-fc.example",
        "03 81 00 00 02",
        "La forge ouvre ses portes aux classes pour filmer l'estampage à chaud.",
    ),
]


def load_companies_demo(
    *,
    festival: Festival,
    past_edition: Edition,
    companies: list[Company],
    organizer: User,
    teacher: User,
) -> None:
    for index, name, role, email in CONTACTS:
        author = teacher if index == 0 else organizer
        add_contact(company=companies[index], user=author, name=name, role=role, email=email)
    for index in AGREED:
        record_agreement(
            company=companies[index],
            user=organizer,
            note="Accord écrit reçu par courriel du service communication.",
        )
    for index, trade_names, contact, email, phone, offer in VOLUNTEERS:
        save_volunteer(
            festival=festival,
            company=companies[index],
            user=organizer,
            trades=Trade.objects.filter(name__in=trade_names),
            contact_name=contact,
            contact_email=email,
            contact_phone=phone,
            offer=offer,
        )
    # Last year's first prize of the first category with films is offered by a company.
    seed_prizes(edition=past_edition)
    prize = (
        past_edition.prizes.filter(kind=PrizeKind.CATEGORY_FIRST, category__films__isnull=False)
        .order_by("category__position", "pk")
        .first()
    )
    if prize is not None:
        prize.sponsor = companies[2]
        prize.save(update_fields=["sponsor"])
