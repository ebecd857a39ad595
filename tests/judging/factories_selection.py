"""A pre-selection scenario: one category, four films in competition, a pre-selection jury that
scored them all, a final jury of other jurors (issue 13, selection)."""

from dataclasses import dataclass

from django.utils import timezone

from festival.enums import FilmStatus
from festival.models import Category, Edition, Film, User
from judging.enums import EvaluationState, JuryStage
from judging.models import Jury
from judging.models_selection import SelectionRound
from tests import factories


@dataclass
class Selection:
    edition: Edition
    category: Category
    films: list[Film]  # best first by the pre-selection jury
    preselection: Jury
    final: Jury
    pre_jurors: list[User]
    final_jurors: list[User]
    criterion: object


def make_round(edition, **kw) -> SelectionRound:
    defaults = {"enabled": True, "finalists_per_category": 2}
    return SelectionRound.objects.create(edition=edition, **{**defaults, **kw})


def validated(*, juror, film, criterion, value):
    return factories.make_evaluation(
        juror=juror,
        film=film,
        scores={criterion: value},
        state=EvaluationState.VALIDATED,
        validated_at=timezone.now(),
    )


def make_selection(edition, category, *, teachers=None) -> Selection:
    """Films A > B > C > D by the pre-selection jury's marks (each juror gives the same)."""
    criterion = factories.make_criterion(edition, name="Scénario")
    films = [
        factories.make_film(
            category=category,
            status=FilmStatus.SUBMITTED,
            title=title,
            teacher=(teachers[i] if teachers else None),
        )
        for i, title in enumerate(["A la forge", "B comme bobine", "C au tour", "D en soudure"])
    ]
    pre_jurors = [factories.make_juror(edition.festival) for _ in range(2)]
    final_jurors = [factories.make_juror(edition.festival) for _ in range(2)]
    preselection = factories.make_jury(
        edition, categories=[category], members=pre_jurors, stage=JuryStage.PRESELECTION
    )
    final = factories.make_jury(edition, categories=[category], members=final_jurors)
    for film, value in zip(films, [9, 7, 5, 3], strict=True):
        for juror in pre_jurors:
            factories.make_assignment(jury=preselection, juror=juror, film=film)
            validated(juror=juror, film=film, criterion=criterion, value=value)
    return Selection(
        edition=edition,
        category=category,
        films=films,
        preselection=preselection,
        final=final,
        pre_jurors=pre_jurors,
        final_jurors=final_jurors,
        criterion=criterion,
    )
