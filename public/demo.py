"""A complete, believable FILM'IT edition for demonstrations and first runs."""

import subprocess
import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from festival.enums import Academie, ApprovalStatus, FilmStatus, Role
from festival.models import (
    Category,
    Company,
    Edition,
    Festival,
    Film,
    FilmEvent,
    Membership,
    School,
    Trade,
    User,
)
from festival.validators import UAI_LETTERS, luhn_valid
from judging.domain.assignment import compute_assignments
from judging.domain.awards import decide_award, proposals, seed_prizes
from judging.domain.juries import add_member, create_jury
from judging.domain.publication import publish_palmares
from judging.domain.scoring import validate_evaluation
from judging.models import Criterion, Evaluation
from media_pipeline.originals import attach_original_video
from public import demo_trades
from public.demo_audience import load_audience_demo
from public.demo_ceremony import create_demo_ceremony
from public.demo_companies import load_companies_demo
from public.demo_outreach import create_demo_outreach
from public.demo_people import consent_form
from public.demo_privacy import load_privacy_demo
from public.demo_rules import load_rules_demo
from public.demo_schooldata import create_demo_school_data
from public.demo_selection import create_demo_selection
from public.demo_structures import add_structures
from public.demo_transfer import create_national_final

DEMO_PASSWORD = "filmit-demo-2027"
ORGANIZER_EMAIL = "organisation@filmit.example"
TEACHER_EMAIL = "claire.girard@filmit.example"
JUROR_EMAIL = "marc.petit@filmit.example"
# The platform operator: the only kind of account the Django admin opens to.
OPERATOR_EMAIL = "exploitation@filmit.example"

CATEGORIES = [
    ("college", "Collège", "Classes de 4e et 3e, SEGPA comprises.", 4),
    ("lycee", "Lycée", "Lycées généraux, technologiques et professionnels.", 5),
    ("etudiants", "Étudiants", "BTS, BUT, licences professionnelles et écoles d'ingénieurs.", 6),
    ("apprentis", "Apprentis", "CFA et centres de formation d'apprentis de l'industrie.", 5),
    ("insertion", "Jeunes en insertion", "Écoles de la deuxième chance, missions locales.", 5),
]

SCHOOLS = [
    (250101, "Lycée Jules Haag", "Besançon"),
    (250102, "Collège Lumière", "Besançon"),
    (250103, "Lycée Les Huisselets", "Montbéliard"),
    (390104, "Lycée Jacques Prévert", "Dole"),
    (700105, "Collège Jean-Macé", "Luxeuil-les-Bains"),
    (900106, "Lycée Raoul Follereau", "Belfort"),
    (250107, "CFA de l'industrie Franche-Comté", "Exincourt"),
    (250108, "École de la deuxième chance", "Besançon"),
]

COMPANIES = [
    ("Décolletage du Haut-Doubs", "Cluses-les-Pins", "Décolletage de précision"),
    ("Forges de Franche-Comté", "Audincourt", "Forge et estampage"),
    ("Microtechniques Comtoises", "Besançon", "Microtechniques et horlogerie"),
    ("Plasturgie du Jura", "Oyonnax-sur-Bienne", "Injection plastique"),
    ("Aciers de Belfort", "Belfort", "Chaudronnerie et soudure"),
    ("Mobilités Nord Franche-Comté", "Sochaux", "Assemblage automobile"),
]

TRADES = [
    "Technicien d'usinage",
    "Soudeur",
    "Chaudronnier",
    "Opérateur sur commande numérique",
    "Horloger",
    "Technicien de maintenance industrielle",
    "Roboticien",
    "Plasturgiste",
    "Contrôleur qualité",
    "Dessinateur industriel",
]

TEACHERS = [
    ("Claire", "Girard", 0),
    ("Julien", "Faivre", 1),
    ("Nadia", "Benali", 2),
    ("Thomas", "Vuillemin", 3),
    ("Émilie", "Cuenot", 5),
    ("Karim", "Haddad", 6),
]

FILMS = [
    # (title, category slug, teacher index, company index, trades, status, consents validated)
    ("Les mains de l'atelier", "lycee", 0, 0, [0, 3], FilmStatus.ACCEPTED, True),
    ("Un jour chez les forgerons", "lycee", 0, 1, [2], FilmStatus.SUBMITTED, False),
    ("Tic-tac, la précision", "college", 1, 2, [4, 8], FilmStatus.ACCEPTED, True),
    ("Le robot et moi", "college", 1, 5, [6], FilmStatus.DRAFT, False),
    ("Souder l'avenir", "lycee", 2, 4, [1, 2], FilmStatus.ACCEPTED, True),
    ("Plastique fantastique", "etudiants", 3, 3, [7], FilmStatus.SUBMITTED, True),
    ("Dessine-moi une pièce", "etudiants", 3, 2, [9, 0], FilmStatus.NEEDS_CHANGES, False),
    ("La chaîne en mouvement", "apprentis", 5, 5, [6, 5], FilmStatus.ACCEPTED, True),
    ("Maintenance : mission impossible ?", "apprentis", 5, 4, [5], FilmStatus.SUBMITTED, False),
    ("Des copeaux et des rêves", "insertion", 4, 0, [0, 3], FilmStatus.ACCEPTED, True),
    ("Contrôle qualité, contrôle fierté", "insertion", 4, 1, [8], FilmStatus.DRAFT, False),
    ("Du lingot à la montre", "college", 1, 2, [4], FilmStatus.ACCEPTED, True),
]

CREWS = ["Léa\nTom B.\nInès\nYanis", "Manon\nLucas\nChloé", "Emma\nNoah D.\nJade\nSami\nLou"]



def uai_for(number: int) -> str:
    digits = f"{number:07d}"
    return digits + UAI_LETTERS[int(digits) % 23]


def siret_for(number: int) -> str:
    body = f"{number:013d}"
    return next(body + str(key) for key in range(10) if luhn_valid(body + str(key)))


def make_clip(path: Path, *, title: str, seconds: int, hue: int) -> None:
    """A short test film made by ffmpeg: a moving test pattern, a tone, a coloured tint."""
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency={330 + hue}:duration={seconds}",
            "-vf", f"hue=h={hue}",
            "-metadata", f"title={title}",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(path),
        ],
        check=True,
    )  # fmt: skip


def demo_exists() -> bool:
    return Festival.objects.filter(slug="filmit-franche-comte").exists()


@transaction.atomic
def create_demo_edition(*, clips_dir: Path, with_videos: bool = True) -> dict:
    now = timezone.now()
    year = (now + timedelta(days=95)).year  # named after the year of its ceremony
    festival = Festival.objects.create(
        name="FILM'IT Franche-Comté",
        slug="filmit-franche-comte",
        region="Franche-Comté",
        organizing_body="UIMM Franche-Comté",
        contact_email="filmit@filmit.example",
        description=(
            "Des classes tournent un court métrage dans une entreprise industrielle partenaire "
            "pour faire découvrir ses métiers. Un jury de professionnels et d'enseignants "
            "récompense les meilleurs films de chaque catégorie lors de la remise des prix."
        ),
    )
    past_edition = Edition.objects.create(
        festival=festival,
        year=year - 1,
        title=f"FILM'IT {year - 1}",
        theme="Les métiers de la précision",
        submissions_open_at=now - timedelta(days=400),
        submissions_close_at=now - timedelta(days=300),
        judging_start_at=now - timedelta(days=295),
        judging_end_at=now - timedelta(days=280),
        deliberation_at=now - timedelta(days=275),
        ceremony_at=now - timedelta(days=270),
    )
    edition = Edition.objects.create(
        festival=festival,
        year=year,
        title=f"FILM'IT {year}",
        theme="L'industrie de demain se fabrique aujourd'hui",
        rules=(
            "Un film de 5 minutes au plus, tourné dans une entreprise industrielle partenaire, "
            "qui montre au moins un métier. Les élèves apparaissent avec l'accord écrit de leurs "
            "représentants légaux (autorisations de droit à l'image)."
        ),
        is_current=True,
        submissions_open_at=now - timedelta(days=30),
        submissions_close_at=now + timedelta(days=45),
        judging_start_at=now + timedelta(days=50),
        judging_end_at=now + timedelta(days=80),
        deliberation_at=now + timedelta(days=85),
        ceremony_at=now + timedelta(days=95),
    )
    categories = {
        slug: Category.objects.create(
            edition=edition,
            slug=slug,
            name=name,
            description=description,
            max_duration=timedelta(minutes=minutes),
            position=position,
        )
        for position, (slug, name, description, minutes) in enumerate(CATEGORIES)
    }
    schools = [
        School.objects.create(uai=uai_for(n), name=name, town=town, academie=Academie.BESANCON)
        for n, name, town in SCHOOLS
    ]
    companies = [
        Company.objects.create(siret=siret_for(4_412_000_000 + i), name=name, town=town, sector=s)
        for i, (name, town, s) in enumerate(COMPANIES)
    ]
    trades = [Trade.objects.create(name=name, festival=festival) for name in TRADES]

    organizer = User.objects.create_user(
        email=ORGANIZER_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Sophie",
        last_name="Morel",
        role=Role.ORGANIZER,
        festival=festival,
    )
    User.objects.create_superuser(
        email=OPERATOR_EMAIL, password=DEMO_PASSWORD, first_name="Équipe", last_name="technique"
    )
    teachers = [
        User.objects.create_user(
            email=TEACHER_EMAIL if i == 0 else f"{first.lower()}.{last.lower()}@filmit.example",
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            role=Role.TEACHER,
            school=schools[school],
        )
        for i, (first, last, school) in enumerate(TEACHERS)
    ]
    pending = User.objects.create_user(
        email="pierre.jeunet@filmit.example",
        password=DEMO_PASSWORD,
        first_name="Pierre",
        last_name="Jeunet",
        role=Role.TEACHER,
        school=schools[7],
    )
    jurors = [
        User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            role=Role.JUROR,
            festival=festival,
        )
        for first, last, email in [
            ("Marc", "Petit", JUROR_EMAIL),
            ("Isabelle", "Roussel", "isabelle.roussel@filmit.example"),
            ("Hugo", "Lambert", "hugo.lambert@filmit.example"),
        ]
    ]

    # Each one's place in the festival: the teachers approved, one still waiting.
    Membership.objects.bulk_create(
        [
            Membership(user=user, festival=festival, role=user.role, approval=approval)
            for user, approval in [
                (organizer, ApprovalStatus.APPROVED),
                *[(teacher, ApprovalStatus.APPROVED) for teacher in teachers],
                (pending, ApprovalStatus.PENDING),
                *[(juror, ApprovalStatus.APPROVED) for juror in jurors],
            ]
        ]
    )

    films = []
    for index, (title, cat, t, c, trade_ids, status, validated) in enumerate(FILMS):
        teacher = teachers[t]
        film = Film.objects.create(
            edition=edition,
            category=categories[cat],
            school=teacher.school,
            teacher=teacher,
            company=companies[c],
            title=title,
            synopsis=(
                f"La classe de {teacher.get_full_name()} a passé une semaine chez "
                f"{companies[c].name} pour filmer les gestes de celles et ceux qui y travaillent."
            ),
            pupil_count=len(CREWS[index % 3].splitlines()) + 8,
            crew=CREWS[index % 3],
            status=status,
            status_reason=(
                "Le générique doit citer l'entreprise partenaire."
                if status == FilmStatus.NEEDS_CHANGES
                else ""
            ),
            submitted_at=now - timedelta(days=index) if status != FilmStatus.DRAFT else None,
        )
        film.trades.set([trades[i] for i in trade_ids])
        FilmEvent.objects.create(film=film, actor=teacher, to_status=FilmStatus.DRAFT)
        if status != FilmStatus.DRAFT:
            FilmEvent.objects.create(
                film=film, actor=teacher, from_status=FilmStatus.DRAFT, to_status=status
            )
        if status != FilmStatus.DRAFT or index % 2:
            consent_form(
                film=film, uploaded_by=teacher,
                reviewed_by=organizer if validated else None, reviewed_at=now,
            )  # fmt: skip
        films.append(film)
    films.append(add_structures(
        festival=festival, category=categories["insertion"], company=companies[1],
        trades=[trades[0], trades[5]], organizer=organizer, password=DEMO_PASSWORD,
    ))  # fmt: skip

    past_films = create_past_edition_films(
        edition=past_edition, teachers=teachers, companies=companies, trades=trades,
        organizer=organizer,
    )  # fmt: skip
    load_companies_demo(
        festival=festival, past_edition=past_edition, companies=companies,
        organizer=organizer, teacher=teachers[0],
    )  # fmt: skip
    judge_and_publish(edition=past_edition, jurors=jurors, organizer=organizer)
    open_judging(edition=edition, jurors=jurors, organizer=organizer)

    if with_videos:
        for index, film in enumerate(films + past_films):
            clip = clips_dir / f"film-{index}.mp4"
            make_clip(clip, title=film.title, seconds=3 + index % 3, hue=index * 30)
            editable = film.status
            film.status = FilmStatus.DRAFT  # attach through the domain, as a teacher would
            with clip.open("rb") as handle:
                upload = File(handle, name=f"{film.title}.mp4")
                upload.size = clip.stat().st_size
                attach_original_video(film=film, user=film.teacher, uploaded_file=upload)
            if editable != FilmStatus.DRAFT:
                film.status = editable
                film.save(update_fields=["status"])
    demo_trades.write_trade_pages(organizer=organizer)
    second = create_second_festival(
        organizer=organizer, teacher=teachers[0], juror=jurors[0], now=now, year=year
    )
    create_demo_outreach(festival=festival, edition=edition, organizer=organizer)
    load_rules_demo(edition=edition, films=films, past_films=past_films)
    create_national_final(past_edition=past_edition, organizer=organizer, password=DEMO_PASSWORD)
    create_demo_ceremony(edition=edition, organizer=organizer)
    load_audience_demo()
    create_demo_school_data(festival=festival, films=films, organizer=organizer)
    load_privacy_demo(festival=festival, organizer=organizer, films=films + past_films)
    create_demo_selection(edition=edition, organizer=organizer, password=DEMO_PASSWORD)
    return {
        "festival": festival,
        "edition": edition,
        "films": films,
        "past_films": past_films,
        "second_festival": second,
    }


SECOND_ORGANIZER_EMAIL = "organisation.grand-est@filmit.example"


def create_second_festival(*, organizer, teacher, juror, now, year) -> Festival:
    """A second federation on the same installation, to try several festivals at once: the
    demo organizer organizes both (the menu offers the switch), Claire Girard takes part in
    both (her films say which festival), Marc Petit is a juror of both; a Grand Est teacher's
    request waits for its organizers."""
    festival = Festival.objects.create(
        name="FILM'IT Grand Est",
        slug="filmit-grand-est",
        region="Grand Est",
        organizing_body="UIMM Grand Est",
        contact_email="grand-est@filmit.example",
        description=(
            "Le festival des classes du Grand Est : un court métrage tourné dans une entreprise "
            "industrielle pour montrer ses métiers."
        ),
    )
    edition = Edition.objects.create(
        festival=festival,
        year=year,
        title=f"FILM'IT Grand Est {year}",
        theme="Fabriquer près de chez soi",
        is_current=True,
        submissions_open_at=now - timedelta(days=10),
        submissions_close_at=now + timedelta(days=60),
        judging_start_at=now + timedelta(days=65),
        judging_end_at=now + timedelta(days=90),
        deliberation_at=now + timedelta(days=95),
        ceremony_at=now + timedelta(days=105),
    )
    for position, (slug, name, description, minutes) in enumerate(CATEGORIES[:2]):
        Category.objects.create(
            edition=edition,
            slug=slug,
            name=name,
            description=description,
            max_duration=timedelta(minutes=minutes),
            position=position,
        )
    own_organizer = User.objects.create_user(
        email=SECOND_ORGANIZER_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Nadia",
        last_name="Schmitt",
        role=Role.ORGANIZER,
        festival=festival,
    )
    school = School.objects.create(
        uai=uai_for(670020),
        name="Lycée Louis Couffignal",
        town="Strasbourg",
        academie=Academie.STRASBOURG,
    )
    waiting = User.objects.create_user(
        email="julien.keller@filmit.example",
        password=DEMO_PASSWORD,
        first_name="Julien",
        last_name="Keller",
        role=Role.TEACHER,
        school=school,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, festival=festival, role=user.role, approval=approval)
            for user, approval in [
                (organizer, ApprovalStatus.APPROVED),
                (own_organizer, ApprovalStatus.APPROVED),
                (teacher, ApprovalStatus.APPROVED),
                (juror, ApprovalStatus.APPROVED),
                (waiting, ApprovalStatus.PENDING),
            ]
        ]
    )
    return festival


PAST_FILMS = [
    # (title, category slug, teacher index, company index, trades)
    ("L'acier a du cœur", "college", 1, 1, [1, 2]),
    ("Micro-mécanique, maxi-passion", "college", 4, 2, [4]),
    ("Nos robots, nos métiers", "lycee", 0, 5, [6, 5]),
    ("Le geste juste", "lycee", 2, 0, [0, 8]),
    ("Injection : le film", "etudiants", 3, 3, [7, 9]),
    ("Apprendre en fabriquant", "apprentis", 5, 4, [1, 5]),
]


def create_past_edition_films(*, edition, teachers, companies, trades, organizer) -> list[Film]:
    """Last year's films, judged and awarded, so that the palmarès and gallery have winners."""
    categories = {
        slug: Category.objects.create(
            edition=edition, slug=slug, name=name, description=description,
            max_duration=timedelta(minutes=minutes), position=position,
        )
        for position, (slug, name, description, minutes) in enumerate(CATEGORIES)
    }  # fmt: skip
    films = []
    for index, (title, cat, t, c, trade_ids) in enumerate(PAST_FILMS):
        teacher = teachers[t]
        film = Film.objects.create(
            edition=edition,
            category=categories[cat],
            school=teacher.school,
            teacher=teacher,
            company=companies[c],
            title=title,
            synopsis=(
                f"Une classe de {teacher.school.town} a suivi pendant un mois les équipes de "
                f"{companies[c].name}, de la commande à l'expédition."
            ),
            pupil_count=14,
            crew=CREWS[index % 3],
            status=FilmStatus.ACCEPTED,
            submitted_at=edition.submissions_close_at - timedelta(days=3),
        )
        film.trades.set([trades[i] for i in trade_ids])
        FilmEvent.objects.create(
            film=film, actor=teacher, from_status=FilmStatus.DRAFT, to_status=FilmStatus.ACCEPTED
        )
        consent_form(
            film=film, uploaded_by=teacher, reviewed_by=organizer,
            reviewed_at=edition.submissions_close_at,
        )  # fmt: skip
        films.append(film)
    return films


def _demo_value(criterion, juror_index: int, film_index: int) -> Decimal:
    """A believable, reproducible score on the criterion's scale and step."""
    span = criterion.max_score - criterion.min_score
    fraction = Decimal((37 * film_index + 11 * juror_index + 7 * criterion.position) % 9 + 10) / 20
    steps = ((span * fraction) / criterion.step).quantize(Decimal("1"))
    return criterion.min_score + steps * criterion.step


def form_jury(*, edition, jurors, organizer) -> None:
    """One jury for every category, the first juror presiding, films assigned to everyone."""

    jury = create_jury(
        edition=edition, name="Jury de la région", categories=edition.categories.all(),
        organizer=organizer,
    )  # fmt: skip
    for juror in jurors:
        add_member(jury=jury, juror=juror)
    jury.president = jurors[0]
    jury.save(update_fields=["president"])
    compute_assignments(jury=jury, organizer=organizer)


def judge_and_publish(*, edition, jurors, organizer) -> None:
    """Last year's jury scored every film, decided the awards, and the palmarès went online."""

    form_jury(edition=edition, jurors=jurors, organizer=organizer)
    criteria = list(Criterion.objects.filter(edition=edition))
    during_judging = edition.judging_start_at + timedelta(days=3)
    films = list(edition.films.order_by("pk"))
    for juror_index, juror in enumerate(jurors):
        for film_index, film in enumerate(films):
            # Last year's films have no video here: what the jurors watched is seeded as is.
            Evaluation.objects.create(
                juror=juror, film=film, watched_ranges=[[0.0, 4.0]], watched_seconds=4.0,
                film_duration=4.0,
            )  # fmt: skip
            validate_evaluation(
                juror=juror,
                film=film,
                values={c.pk: _demo_value(c, juror_index, film_index) for c in criteria},
                comment="Un film sincère : on sent la fierté des équipes et des élèves.",
                favourite=(film_index + juror_index) % 4 == 0,
                now=during_judging,
            )
    seed_prizes(edition=edition)
    for proposal in proposals(edition).values():
        if proposal.film_ids:
            decide_award(
                prize=proposal.prize,
                films=edition.films.filter(pk__in=proposal.film_ids),
                user=organizer,
            )
    publish_palmares(edition=edition, user=organizer)


def open_judging(*, edition, jurors, organizer) -> None:
    """This year's jury is formed; jurors will see their films once they are submitted."""
    form_jury(edition=edition, jurors=jurors, organizer=organizer)


def load(*, with_videos: bool = True) -> dict | None:
    if demo_exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        return create_demo_edition(clips_dir=Path(tmp), with_videos=with_videos)
