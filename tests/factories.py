"""Boring factories: plain functions that build believable festival objects."""

import itertools
import subprocess
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from festival.enums import (
    Academie,
    ApprovalStatus,
    ConsentStatus,
    FilmStatus,
    MusicRights,
    Role,
    StructureKind,
)
from festival.models import (
    Category,
    Company,
    ConsentForm,
    Edition,
    Festival,
    Film,
    Membership,
    School,
    Trade,
    User,
)
from festival.validators import UAI_LETTERS

PASSWORD = "Motdepasse-Test-2026"
_seq = itertools.count(1)

# Smallest valid PDF and PNG files, enough for the magic-number checks.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def valid_uai(number: int) -> str:
    digits = f"{number:07d}"
    return digits + UAI_LETTERS[int(digits) % 23]


def valid_siret(number: int) -> str:
    """A 14-digit SIRET with a correct Luhn key, built from any number."""
    body = f"{number:013d}"
    for key in range(10):
        candidate = body + str(key)
        total = 0
        for index, char in enumerate(reversed(candidate)):
            digit = int(char) * (2 if index % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


# Teachers made without naming their festivals take part, with their `approval`, in every
# festival, those made later included: tests build their fixtures in any order. By address, as
# the ids of rolled-back rows come back.
_floating_teachers: dict[str, str] = {}


def make_festival(**kw) -> Festival:
    n = next(_seq)
    defaults = {"name": f"FILM'IT Région {n}", "slug": f"filmit-{n}", "region": "Franche-Comté"}
    festival = Festival.objects.create(**{**defaults, **kw})
    teachers = User.objects.filter(email__in=list(_floating_teachers), role=Role.TEACHER)
    for teacher in teachers:
        join(teacher, festival, approval=_floating_teachers[teacher.email])
    return festival


def join(user, festival, *, approval=ApprovalStatus.APPROVED, role=None) -> Membership:
    """Make `user` a member of `festival` (in their role), with this approval."""
    membership, _created = Membership.objects.update_or_create(
        user=user, festival=festival, role=role or user.role, defaults={"approval": approval}
    )
    user.forget_memberships()
    return membership


def make_edition(festival=None, *, open_now=True, is_current=True, **kw) -> Edition:
    festival = festival or make_festival()
    now = timezone.now()
    if open_now:
        opens, closes = now - timedelta(days=10), now + timedelta(days=20)
    else:
        opens, closes = now - timedelta(days=40), now - timedelta(days=1)
    defaults = {
        "festival": festival,
        "year": 2020 + next(_seq),
        "title": "FILM'IT 2027",
        "theme": "L'industrie de demain",
        "is_current": is_current,
        "submissions_open_at": opens,
        "submissions_close_at": closes,
        "judging_start_at": closes + timedelta(days=5),
        "judging_end_at": closes + timedelta(days=30),
        "deliberation_at": closes + timedelta(days=35),
        "ceremony_at": closes + timedelta(days=40),
    }
    return Edition.objects.create(**{**defaults, **kw})


def make_category(edition=None, **kw) -> Category:
    edition = edition or make_edition()
    n = next(_seq)
    defaults = {"edition": edition, "name": f"Lycée {n}", "slug": f"lycee-{n}", "position": n}
    return Category.objects.create(**{**defaults, **kw})


def make_school(**kw) -> School:
    n = next(_seq)
    defaults = {
        "uai": valid_uai(250000 + n),
        "name": f"Lycée Jules Haag {n}",
        "town": "Besançon",
        "academie": Academie.BESANCON,
    }
    return School.objects.create(**{**defaults, **kw})


def make_structure(**kw) -> School:
    """A structure outside the Éducation nationale: a SIRET, no UAI code."""
    n = next(_seq)
    defaults = {
        "uai": None,
        "siret": valid_siret(7_000_000_000 + n),
        "kind": StructureKind.E2C,
        "name": f"École de la deuxième chance {n}",
        "town": "Besançon",
        "academie": Academie.BESANCON,
    }
    return School.objects.create(**{**defaults, **kw})


def make_company(**kw) -> Company:
    n = next(_seq)
    defaults = {
        "siret": valid_siret(4_000_000_000 + n),
        "name": f"Usinage Comtois {n}",
        "town": "Montbéliard",
        "sector": "Décolletage",
    }
    return Company.objects.create(**{**defaults, **kw})


def make_trade(**kw) -> Trade:
    n = next(_seq)
    return Trade.objects.create(**{"name": f"Technicien d'usinage {n}", **kw})


def make_user(*, role=Role.TEACHER, approval=ApprovalStatus.APPROVED, festivals=None, **kw):
    """A user; a juror or organizer is a member of `festival`; a teacher of `festivals`, or of
    every festival (present and future) when none is named."""
    n = next(_seq)
    defaults = {
        "email": f"user{n}@example.org",
        "first_name": "Camille",
        "last_name": f"Martin{n}",
        "role": role,
    }
    user = User.objects.create_user(password=PASSWORD, **{**defaults, **kw})
    if role == Role.TEACHER:
        if festivals is None:
            _floating_teachers[user.email] = approval
            festivals = Festival.objects.all()
        for festival in festivals:
            join(user, festival, approval=approval)
    elif user.festival_id is not None:
        join(user, user.festival, approval=approval)
    return user


def make_teacher(school=None, **kw) -> User:
    return make_user(role=Role.TEACHER, school=school or make_school(), **kw)


def make_organizer(festival, **kw) -> User:
    return make_user(role=Role.ORGANIZER, festival=festival, **kw)


def make_juror(festival, **kw) -> User:
    return make_user(role=Role.JUROR, festival=festival, **kw)


def make_film(
    *, teacher=None, category=None, status=FilmStatus.DRAFT, complete=False, **kw
) -> Film:
    category = category or make_category()
    teacher = teacher or make_teacher()
    defaults = {
        "edition": category.edition,
        "category": category,
        "school": teacher.school,
        "teacher": teacher,
        "title": f"Les mains de l'usine {next(_seq)}",
        "status": status,
    }
    if complete:
        defaults.update(
            synopsis="Une journée avec les régleurs de l'atelier.",
            company=make_company(),
            pupil_count=12,
            pupils_on_screen=1,  # its one consent covers it
            crew="Léa\nTom B.\nInès",
            music_rights=MusicRights.ORIGINAL,
            rights_declared_at=timezone.now(),
        )
    film = Film.objects.create(**{**defaults, **kw})
    if complete:
        film.trades.add(make_trade())
        film.original_video.save("original", ContentFile(tiny_video_bytes()), save=True)
        make_consent(film)
    return film


def make_consent(film, *, status=ConsentStatus.PENDING, **kw) -> ConsentForm:
    consent = ConsentForm(
        film=film,
        uploaded_by=film.teacher,
        original_filename="autorisations.pdf",
        content_type="application/pdf",
        status=status,
        **kw,
    )
    consent.file.save("consent", ContentFile(PDF_BYTES), save=False)
    consent.save()
    return consent


_VIDEO_CACHE: dict[str, bytes] = {}


def tiny_video_bytes(seconds: float = 1.0) -> bytes:
    """A real MP4 made by ffmpeg's test sources: 160x90, a tone, one second."""
    key = f"{seconds}"
    if key not in _VIDEO_CACHE:
        out = Path("/tmp") / f"filmit-test-clip-{seconds}.mp4"
        if not out.exists():
            subprocess.run(
                [
                    "ffmpeg",
                    "-nostdin",
                    "-loglevel",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    f"testsrc2=size=160x90:rate=25:duration={seconds}",
                    "-f",
                    "lavfi",
                    "-i",
                    f"sine=frequency=440:duration={seconds}",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-pix_fmt",
                    "yuv420p",
                    "-c:a",
                    "aac",
                    "-shortest",
                    "-movflags",
                    "+faststart",
                    str(out),
                ],
                check=True,
            )
        _VIDEO_CACHE[key] = out.read_bytes()
    return _VIDEO_CACHE[key]


# Judging: juries, the scoring form, assignments and evaluations.


def make_jury(edition=None, *, categories=(), president=None, members=(), **kw):
    """A jury of `edition` covering `categories`; `members` (and the president) join it."""
    from judging.models import Jury, JuryMember

    edition = edition or make_edition()
    defaults = {"edition": edition, "name": f"Jury {next(_seq)}", "president": president}
    jury = Jury.objects.create(**{**defaults, **kw})
    jury.categories.set(categories)
    for juror in [*([president] if president else []), *members]:
        JuryMember.objects.get_or_create(jury=jury, juror=juror)
    return jury


def make_jury_member(jury, juror, **kw):
    from judging.models import JuryMember

    return JuryMember.objects.create(jury=jury, juror=juror, **kw)


def make_criterion(edition=None, **kw):
    """A line of the scoring form: scale 0 to 10 by half points, weight 1, required."""
    from judging.models import Criterion

    edition = edition or make_edition()
    n = next(_seq)
    defaults = {"edition": edition, "name": f"Critère {n}", "position": n}
    return Criterion.objects.create(**{**defaults, **kw})


def make_default_criteria(edition):
    """The usual scoring form: scénario, image, son, mise en valeur des métiers, créativité."""
    names = ["Scénario", "Image", "Son", "Mise en valeur des métiers", "Créativité"]
    return [make_criterion(edition, name=name, position=i) for i, name in enumerate(names)]


def make_judging_settings(edition, **kw):
    from judging.models import JudgingSettings

    return JudgingSettings.objects.create(edition=edition, **kw)


def make_assignment(*, jury, juror, film, **kw):
    """`juror` must score `film` for `jury`; the juror joins the jury if not a member yet."""
    from judging.models import Assignment, JuryMember

    JuryMember.objects.get_or_create(jury=jury, juror=juror)
    return Assignment.objects.create(jury=jury, juror=juror, film=film, **kw)


def make_evaluation(*, juror, film, scores=None, watched=None, **kw):
    """An evaluation with `scores` ({criterion: value}) and `watched` seconds of the film
    (the film's duration is `watched` too unless `film_duration` is given)."""
    from judging.models import Evaluation, Score

    if watched is not None:
        kw.setdefault("film_duration", float(watched))
        kw.update(watched_ranges=[[0.0, float(watched)]], watched_seconds=float(watched))
    evaluation = Evaluation.objects.create(juror=juror, film=film, **kw)
    for criterion, value in (scores or {}).items():
        Score.objects.create(evaluation=evaluation, criterion=criterion, value=value)
    return evaluation


def make_publication(edition, *, published_by=None, snapshot=None, **kw):
    """A live palmarès publication, dated now: the only record of an edition's publication."""
    from judging.models_results import Publication

    published_by = published_by or make_organizer(edition.festival)
    return Publication.objects.create(
        edition=edition,
        snapshot=snapshot if snapshot is not None else {"awards": []},
        content_hash="0" * 64,
        published_by=published_by,
        **kw,
    )
