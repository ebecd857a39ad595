"""The demo's trade pages: what each trade of the demo films is, and training paths towards it.

The addresses are examples in the shape of ONISEP's pages (the national guidance office), not
checked links.
"""

from festival.domain.editions import update_trade
from festival.models import Trade, User

ONISEP = "https://www.onisep.fr/ressources/univers-metier/metiers/"

TRADE_PAGES = {
    "Technicien d'usinage": (
        "Le technicien d'usinage fabrique des pièces de métal au centième de millimètre près, "
        "sur des tours et des fraiseuses, souvent à commande numérique.\n\n"
        "Il lit le plan, choisit les outils, règle la machine, lance la série et contrôle les "
        "premières pièces. On le trouve dans l'automobile, l'aéronautique, le médical et "
        "l'horlogerie.",
        [
            ("Bac pro Technicien en réalisation de produits mécaniques", "technicien-d-usinage"),
            ("BTS Conception des processus de réalisation de produits", "bts-cprp"),
        ],
    ),
    "Soudeur": (
        "Le soudeur assemble des pièces de métal en les faisant fondre ensemble, à l'arc, au "
        "laser ou sous gaz protecteur.\n\n"
        "Ponts, navires, cuves, cadres de machines : sa soudure doit tenir des années. Il "
        "prépare les pièces, choisit le procédé et vérifie son cordon.",
        [
            ("CAP Réalisations industrielles en chaudronnerie ou soudage", "soudeur-soudeuse"),
            ("Mention complémentaire Technicien en soudage", "mc-technicien-en-soudage"),
        ],
    ),
    "Chaudronnier": (
        "Le chaudronnier transforme des tôles et des tubes en pièces de toutes tailles : cuves, "
        "carrosseries, tuyauteries.\n\n"
        "Il trace, découpe, plie, roule et assemble, à partir de plans qu'il sait lire en trois "
        "dimensions.",
        [("Bac pro Technicien en chaudronnerie industrielle", "chaudronnier-chaudronniere")],
    ),
    "Opérateur sur commande numérique": (
        "L'opérateur sur commande numérique conduit les machines-outils pilotées par ordinateur "
        "qui usinent les pièces en série.\n\n"
        "Il charge le programme, installe les pièces, surveille la production et mesure les "
        "cotes pour que chaque pièce soit conforme.",
        [("CAP Conducteur d'installations de production", "operateur-regleur-sur-machine")],
    ),
    "Horloger": (
        "L'horloger fabrique, assemble et répare des montres et des mouvements, à la loupe et "
        "à la pince.\n\n"
        "En Franche-Comté, le métier vit dans les manufactures comme dans les ateliers de "
        "microtechniques, où la même précision sert aux appareils médicaux.",
        [
            ("CAP Horlogerie", "horloger-horlogere"),
            ("Diplôme des métiers d'art Horlogerie", "dma-horlogerie"),
        ],
    ),
    "Technicien de maintenance industrielle": (
        "Le technicien de maintenance garde les machines en état de marche : il prévient les "
        "pannes, les diagnostique et les répare.\n\n"
        "Mécanique, électricité, automatismes : il touche à tout et intervient partout dans "
        "l'usine.",
        [
            (
                "Bac pro Maintenance des systèmes de production connectés",
                "technicien-de-maintenance",
            ),
            ("BTS Maintenance des systèmes", "bts-maintenance-des-systemes"),
        ],
    ),
    "Roboticien": (
        "Le roboticien programme et règle les robots qui soudent, peignent ou assemblent sur "
        "les lignes de production.\n\n"
        "Il écrit les trajectoires, met la cellule en sécurité et forme les opérateurs.",
        [("BUT Génie électrique et informatique industrielle", "roboticien-roboticienne")],
    ),
    "Plasturgiste": (
        "Le plasturgiste fabrique des pièces en plastique par injection, extrusion ou "
        "thermoformage : tableaux de bord, flacons, pièces techniques.\n\n"
        "Il règle les presses, surveille la matière et contrôle les pièces à la sortie du moule.",
        [("Bac pro Plastiques et composites", "plasturgiste")],
    ),
    "Contrôleur qualité": (
        "Le contrôleur qualité vérifie que les pièces produites respectent le plan et les "
        "normes, avec des instruments de mesure de plus en plus précis.\n\n"
        "Il analyse les écarts, alerte la production et fait progresser les méthodes.",
        [("BTS Contrôle des processus industriels", "controleur-qualite")],
    ),
    "Dessinateur industriel": (
        "Le dessinateur industriel conçoit sur ordinateur les pièces et les ensembles que "
        "l'atelier fabriquera, en trois dimensions.\n\n"
        "Il dialogue avec les ingénieurs et les régleurs pour qu'une idée devienne une pièce "
        "que l'on sait produire.",
        [("BTS Conception de produits industriels", "dessinateur-industriel")],
    ),
}


def write_trade_pages(*, organizer: User) -> list[Trade]:
    """Describe the demo's trades and list their training paths, as their organizer would."""
    trades = []
    for trade in Trade.objects.filter(name__in=TRADE_PAGES).order_by("name"):
        description, links = TRADE_PAGES[trade.name]
        trades.append(
            update_trade(
                trade=trade,
                name=trade.name,
                description=description,
                organizer=organizer,
                training_links=[(label, ONISEP + page) for label, page in links],
            )
        )
    return trades
