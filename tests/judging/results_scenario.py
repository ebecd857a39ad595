"""An edition with its jury's validated scores, for the results tests.

Three full jurors score the lycée films; around them, every score that must NOT count: a
trainee's, a draft, a conflicted juror's, a juror removed from a film, a juror affiliated with
a film's school, a rejected film's. A juror who dropped out after validating still counts.
"""

from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from festival.enums import FilmStatus
from judging.enums import AssignmentEnd, EvaluationState
from judging.models import Affiliation, ConflictDeclaration
from tests import factories


def validated(juror, film, scores, **kw):
    return factories.make_evaluation(
        juror=juror,
        film=film,
        scores={criterion: Decimal(str(value)) for criterion, value in scores.items()},
        state=EvaluationState.VALIDATED,
        validated_at=timezone.now(),
        **kw,
    )


def build(edition, *, teacher=None):
    """Lycée: A, B, C ranked by three jurors; collège: D scored by one juror only."""
    lycee = factories.make_category(edition, name="Lycée", slug="lycee", position=1)
    college = factories.make_category(edition, name="Collège", slug="college", position=0)
    scenario = factories.make_criterion(
        edition,
        name="Scénario",
        weight=Decimal("2"),
        min_score=0,
        max_score=10,
        is_priority=True,
        position=0,
    )
    image = factories.make_criterion(edition, name="Image", min_score=0, max_score=10, position=1)
    festival = edition.festival
    j1, j2, j3 = (
        factories.make_juror(festival, first_name=name, last_name="Juré")
        for name in ("Anne", "Bruno", "Chloé")
    )
    trainee = factories.make_juror(festival, first_name="Théo", last_name="Stagiaire")
    dropped = factories.make_juror(festival, first_name="Denis", last_name="Parti")
    conflicted = factories.make_juror(festival, first_name="Eva", last_name="Conflit")
    jury = factories.make_jury(edition, categories=[lycee, college], members=[j1, j2, j3])
    factories.make_jury_member(jury, trainee, is_trainee=True)
    teacher = teacher or factories.make_teacher()
    film_kw = {"teacher": teacher, "status": FilmStatus.ACCEPTED}
    a = factories.make_film(category=lycee, title="Les mains de l'usine", pupil_count=12, **film_kw)
    b = factories.make_film(category=lycee, title="Tourneurs d'avenir", pupil_count=8, **film_kw)
    c = factories.make_film(
        category=lycee,
        title="La fonderie",
        school=factories.make_school(name="Lycée Cuvier"),
        pupil_count=20,
        **{**film_kw, "status": FilmStatus.SUBMITTED},
    )
    d = factories.make_film(category=college, title="Petites pièces", pupil_count=25, **film_kw)
    rejected = factories.make_film(category=lycee, title="Refusé", teacher=teacher)
    rejected.status = FilmStatus.REJECTED
    rejected.save(update_fields=["status"])

    # Scores on 20 = 20 × (2 × s/10 + i/10) / 3.
    sheets = {
        (j1, a): (8, 5),  # 14
        (j2, a): (7, 7),  # 14
        (j3, a): (9, 3),  # 14
        (j1, b): (6, 9),  # 14
        (j2, b): (9, 6),  # 16
        (j3, b): (5, 5),  # 10
        (j1, c): (10, 10),  # 20
        (j2, c): (4, 4),  # 8
        (j1, d): (5, 5),  # 10: one juror only, insufficient
    }
    for (juror, film), (s, i) in sheets.items():
        factories.make_assignment(jury=jury, juror=juror, film=film)
        validated(juror, film, {scenario: s, image: i}, favourite=(juror, film) == (j2, a))
    validated(j1, rejected, {scenario: 10, image: 10})
    factories.make_assignment(jury=jury, juror=j1, film=rejected)

    # j3 is affiliated with C's school: the validated score never counts.
    factories.make_assignment(jury=jury, juror=j3, film=c)
    validated(j3, c, {scenario: 0, image: 0}, comment="Hors concours pour moi.")
    Affiliation.objects.create(juror=j3, school=c.school)

    # A trainee's score, validated: shown, never counted.
    factories.make_assignment(jury=jury, juror=trainee, film=c)
    validated(trainee, c, {scenario: 0, image: 0}, comment="Beau travail sur le son.")

    # Dropped out after validating B: counts.
    factories.make_assignment(
        jury=jury,
        juror=dropped,
        film=b,
        active=False,
        ended_reason=AssignmentEnd.DROPPED_OUT,
    )
    validated(dropped, b, {scenario: 10, image: 10}, favourite=True)  # 20

    # Declared a conflict after validating A: does not count.
    factories.make_assignment(
        jury=jury, juror=conflicted, film=a, active=False, ended_reason=AssignmentEnd.CONFLICT
    )
    validated(conflicted, a, {scenario: 0, image: 0})
    ConflictDeclaration.objects.create(juror=conflicted, film=a, reason="Mon neveu.")

    # Removed by the organizers: does not count.
    factories.make_assignment(
        jury=jury, juror=conflicted, film=b, active=False, ended_reason=AssignmentEnd.REMOVED
    )
    validated(conflicted, b, {scenario: 0, image: 0})

    # A draft: does not count.
    factories.make_assignment(jury=jury, juror=conflicted, film=c)
    factories.make_evaluation(
        juror=conflicted,
        film=c,
        scores={scenario: Decimal(0), image: Decimal(0)},
        state=EvaluationState.DRAFT,
    )
    # Comments of counting jurors, for the feedback sheet.
    for juror, film, text in [
        (j1, a, "Un très beau regard sur les régleurs."),
        (j2, a, "Le son est parfois difficile à entendre (atelier bruyant)."),
    ]:
        evaluation = film.evaluations.get(juror=juror)
        evaluation.comment = text
        evaluation.save(update_fields=["comment"])

    return SimpleNamespace(
        lycee=lycee,
        college=college,
        scenario=scenario,
        image=image,
        jury=jury,
        jurors=(j1, j2, j3),
        trainee=trainee,
        dropped=dropped,
        conflicted=conflicted,
        films=SimpleNamespace(a=a, b=b, c=c, d=d, rejected=rejected),
        teacher=teacher,
    )
