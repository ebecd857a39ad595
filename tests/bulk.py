"""A whole festival of many films in a few bulk inserts: for query counts and the load benchmark.

`build_festival(films=300)` makes, in one festival: a past edition whose palmarès is published
through the domain (prizes decided, snapshot frozen) and whose gallery is open, a current
edition in its judging period with a jury, its jurors and their assignments, categories,
schools, companies, trades, teachers, validated consents, and one ready video version per film.
Every version shares the output folder of one version (`video`, made by the caller: by
`tests.media_pipeline.versions.make_version` without ffmpeg, or by the real pipeline): files are
stored once, each film still has its own version row, as players and posters read them.
"""

import itertools
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from festival.enums import Academie, ConsentStatus, FilmStatus, Role
from festival.models import Category, Company, ConsentForm, Film, Membership, School, Trade, User
from judging.domain.awards import decide_award, seed_prizes
from judging.domain.publication import publish_palmares
from judging.models import Assignment, Jury, JuryMember
from judging.models_results import ResultsSettings
from media_pipeline.models import VideoStatus, VideoVersion
from tests import factories

_seq = itertools.count(1)


def build_festival(*, films: int, jurors: int = 3, per_juror: int = 40) -> dict:
    """`films` public films in one festival (half last year's, half this year's)."""
    now = timezone.now()
    n = next(_seq)
    festival = factories.make_festival(name=f"FILM'IT Banc d'essai {n}", slug=f"banc-{n}")
    past = factories.make_edition(
        festival,
        is_current=False,
        year=2000 + n,
        title=f"FILM'IT {2000 + n}",
        submissions_open_at=now - timedelta(days=400),
        submissions_close_at=now - timedelta(days=300),
        judging_start_at=now - timedelta(days=295),
        judging_end_at=now - timedelta(days=280),
        deliberation_at=now - timedelta(days=275),
        ceremony_at=now - timedelta(days=270),
    )
    current = factories.make_edition(
        festival,
        year=2001 + n,
        title=f"FILM'IT {2001 + n}",
        submissions_open_at=now - timedelta(days=60),
        submissions_close_at=now - timedelta(days=10),
        judging_start_at=now - timedelta(days=5),
        judging_end_at=now + timedelta(days=20),
        deliberation_at=now + timedelta(days=25),
        ceremony_at=now + timedelta(days=30),
    )
    editions = [past, current]
    categories = {
        edition.pk: Category.objects.bulk_create(
            Category(edition=edition, name=name, slug=slug, position=position)
            for position, (slug, name) in enumerate(
                [
                    ("college", "Collège"),
                    ("lycee", "Lycée"),
                    ("etudiants", "Étudiants"),
                    ("apprentis", "Apprentis"),
                    ("insertion", "Insertion"),
                ]
            )
        )  # fmt: skip
        for edition in editions
    }
    school_count, company_count, trade_count = max(1, films // 5), max(1, films // 8), 20
    schools = School.objects.bulk_create(
        School(
            uai=factories.valid_uai(3_000_000 + n * 1000 + i),
            name=f"Lycée {i} ({n})",
            town=["Besançon", "Dole", "Belfort", "Montbéliard"][i % 4],
            academie=Academie.BESANCON,
        )
        for i in range(school_count)
    )
    companies = Company.objects.bulk_create(
        Company(
            siret=factories.valid_siret(5_000_000_000 + n * 1000 + i),
            name=f"Usinage {i} ({n})",
            town="Sochaux",
            sector="Décolletage",
        )
        for i in range(company_count)
    )
    trades = Trade.objects.bulk_create(
        Trade(name=f"Métier {i} ({n})", slug=f"metier-{i}-{n}", festival=festival)
        for i in range(trade_count)
    )
    password = factories.make_user().password  # one hash, shared
    teachers = User.objects.bulk_create(
        User(
            email=f"teacher{n}-{i}@bulk.example",
            first_name="Claire",
            last_name=f"Enseignante {i}",
            role=Role.TEACHER,
            school=schools[i % school_count],
            password=password,
        )
        for i in range(max(1, films // 3))
    )
    Membership.objects.bulk_create(
        Membership(user=teacher, festival=festival, role=Role.TEACHER, approval="approved")
        for teacher in teachers
    )
    organizer = factories.make_organizer(festival)
    film_rows = []
    for i in range(films):
        edition = editions[i % 2]
        teacher = teachers[i % len(teachers)]
        film_rows.append(
            Film(
                edition=edition,
                category=categories[edition.pk][i % 5],
                school=teacher.school,
                company=companies[i % company_count],
                teacher=teacher,
                title=f"Les mains de l'atelier {i}",
                synopsis="Une semaine avec les régleurs, de la commande à l'expédition.",
                pupil_count=12,
                crew="Léa\nTom B.\nInès",
                status=FilmStatus.ACCEPTED,
                submitted_at=edition.submissions_close_at - timedelta(days=1),
            )
        )
    all_films = Film.objects.bulk_create(film_rows)
    Film.trades.through.objects.bulk_create(
        Film.trades.through(film_id=film.pk, trade_id=trades[(i + k) % trade_count].pk)
        for i, film in enumerate(all_films)
        for k in range(2)
    )
    consent_file = default_storage.save("bulk/consent.pdf", ContentFile(factories.PDF_BYTES))
    ConsentForm.objects.bulk_create(
        ConsentForm(
            film=film,
            file=consent_file,
            original_filename="autorisations.pdf",
            content_type="application/pdf",
            uploaded_by=film.teacher,
            status=ConsentStatus.VALIDATED,
            reviewed_by=organizer,
            reviewed_at=now,
        )
        for film in all_films
    )
    ResultsSettings.objects.bulk_create(
        ResultsSettings(edition=edition, gallery_open=True) for edition in editions
    )

    # Last year's palmarès: one prize of each category, decided and published by the domain.
    seed_prizes(edition=past)
    past_films = [film for film in all_films if film.edition_id == past.pk]
    for prize in past.prizes.exclude(category=None).order_by("pk")[: len(categories[past.pk])]:
        winner = next((f for f in past_films if f.category_id == prize.category_id), None)
        if winner is not None:
            decide_award(prize=prize, films=[winner], user=organizer, reason="Banc d'essai")
    publication = publish_palmares(edition=past, user=organizer)

    # This year's jury: every juror scores `per_juror` films.
    jury = Jury.objects.create(edition=current, name="Jury de la région")
    jury.categories.set(categories[current.pk])
    juror_users = [factories.make_juror(festival) for _ in range(jurors)]
    JuryMember.objects.bulk_create(JuryMember(jury=jury, juror=juror) for juror in juror_users)
    current_films = [film for film in all_films if film.edition_id == current.pk]
    Assignment.objects.bulk_create(
        Assignment(jury=jury, juror=juror, film=film)
        for j, juror in enumerate(juror_users)
        for film in current_films[j * per_juror % max(1, len(current_films)) :][:per_juror]
    )
    return {
        "festival": festival,
        "past": past,
        "current": current,
        "films": all_films,
        "organizer": organizer,
        "jurors": juror_users,
        "jury": jury,
        "publication": publication,
        "teachers": teachers,
    }


def share_version(video: VideoVersion, films) -> list[VideoVersion]:
    """A ready version for each film, all reading the files of `video` (one output folder)."""
    fields = {
        "original": video.original.name,
        "original_filename": video.original_filename,
        "original_size": video.original_size,
        "status": VideoStatus.READY,
        "percent": 100,
        "probe": video.probe,
        "outputs": video.outputs,
        "output_prefix": video.output_prefix,
        "ladder_status": video.ladder_status,
        "ladder_folder": video.ladder_folder,
    }
    return VideoVersion.objects.bulk_create(
        VideoVersion(film=film, number=1, uploaded_by_id=film.teacher_id, **fields)
        for film in films
        if film.pk != video.film_id
    )
