"""Demo data of the rules, the consent kit and the rights declaration: the current edition's
rules text, and every submitted film's acceptance of it and rights declaration."""

from festival.domain.rules_acceptance import normalized_rules, rules_version
from festival.enums import FilmStatus, MusicRights
from festival.models import Edition, Film, RulesAcceptance

RULES = """Article 1 — Qui participe
Le festival est ouvert aux classes de collège, de lycée, de l'enseignement supérieur, aux apprentis et aux jeunes accompagnés par une structure d'insertion, encadrés par un enseignant ou un tuteur inscrit sur la plateforme.

Article 2 — Le film
Chaque film est tourné dans une entreprise industrielle partenaire et montre au moins un de ses métiers. Sa durée ne dépasse pas celle de sa catégorie, générique compris. Le générique cite l'entreprise partenaire et les élèves par leur prénom ou un pseudonyme, jamais par leur nom de famille.

Article 3 — Droit à l'image et droits des tiers
Chaque personne que l'on voit ou entend dans le film a signé une autorisation de droit à l'image (ses représentants légaux pour un mineur). La musique est originale, libre de droits ou utilisée avec l'accord de ses ayants droit, et créditée.

Article 4 — Le dépôt
Le film, les autorisations et la déclaration des droits sont déposés sur la plateforme avant la date de clôture. L'organisation peut demander des compléments avant d'accepter un film.

Article 5 — Le jury et les prix
Un jury de professionnels de l'industrie et de l'éducation note les films de chaque catégorie. Ses décisions sont sans appel. Les films primés sont montrés au public une fois toutes leurs autorisations validées."""  # noqa: E501

# A declaration of each kind, in turn.
DECLARATIONS = [
    (MusicRights.ORIGINAL, ""),
    (MusicRights.FREE_LICENCE, "« Rouages », Kevin Lemoine, licence CC BY 4.0."),
    (MusicRights.NONE, ""),
    (MusicRights.PERMISSION, "« Acier trempé », Les Forges Sonores, avec leur accord écrit."),
]  # fmt: skip


def load_rules_demo(*, edition: Edition, films: list[Film], past_films: list[Film]) -> None:
    editions = {edition, *(film.edition for film in past_films)}
    for each in editions:
        each.rules = RULES
        each.save(update_fields=["rules"])
    text = normalized_rules(RULES)
    acceptances = []
    for index, film in enumerate([*films, *past_films]):
        if film.status == FilmStatus.DRAFT:
            continue  # a draft declares and accepts when its teacher submits it
        music, credits = DECLARATIONS[index % len(DECLARATIONS)]
        film.music_rights, film.third_party_credits = music, credits
        film.rights_declared_at = film.submitted_at
        film.rights_declared_by = film.teacher
        film.save(
            update_fields=[
                "music_rights",
                "third_party_credits",
                "rights_declared_at",
                "rights_declared_by",
            ]
        )
        acceptances.append(
            RulesAcceptance(
                film=film,
                user=film.teacher,
                accepted_at=film.submitted_at,
                rules_text=text,
                rules_sha256=rules_version(text),
            )
        )
    RulesAcceptance.objects.bulk_create(acceptances)
