"""The edition's ranking: which scores count, read from the database and fed to the pure engine.

Which scores count (the issue's "validated scores of counting jurors"), decided here once:

- validated evaluations only, of films still in competition (submitted or accepted);
- of a juror whose assignment to the film is active, or ended because the juror dropped out
  (notes validated before leaving are finished work and stay); an assignment ended by the
  organizers or by a conflict of interest does not count;
- of a full member of the assignment's jury: a trainee's notes are shown, never counted;
- of a juror with no conflict with the film: no declared conflict, no affiliation with its
  school or its partner company (checked again here, whatever the assignment says).

Identifiers given to the engine, and written in the exported files: the category's slug, the
film's id, the juror's id and the criterion's name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from festival.models import Category, Edition, Film, User
from judging.enums import AssignmentEnd, EvaluationState
from judging.models import Assignment, Criterion, Evaluation, JuryMember, Score
from judging.models_results import ResultsSettings
from judging.ranking import (
    AGGREGATIONS,
    NORMALIZATIONS,
    CriterionSpec,
    RankedFilm,
    ScoreRow,
    agreement_block,
    complete_block,
    kendalls_w,
    rank,
)
from judging.rules import ELIGIBLE_FILM_STATUSES
from judging.selectors import conflicts_between

logger = logging.getLogger(__name__)

PODIUM = 3

TIE_BREAK_LABELS = {
    None: "",
    "priority": _("critère prioritaire"),
    "favourites": _("coups de cœur"),
    "median": _("médiane des notes"),
    "shared": _("ex aequo"),
}
STATUS_LABELS = {
    "ranked": _("classé"),
    "insufficient": _("trop peu de notes"),
}


def tie_break_label(tie_break: str | None) -> str:
    return TIE_BREAK_LABELS.get(tie_break, tie_break or "")


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


# Settings.


def results_settings(edition: Edition) -> ResultsSettings:
    """The edition's results settings, created with the defaults on first use."""
    settings, _created = ResultsSettings.objects.get_or_create(edition=edition)
    return settings


def update_ranking_options(
    *, settings: ResultsSettings, normalization: str, aggregation: str, min_jurors: int, user: User
) -> ResultsSettings:
    """Save how the edition's ranking is computed."""
    settings.normalization = normalization
    settings.aggregation = aggregation
    settings.min_jurors = min_jurors
    settings.save(update_fields=["normalization", "aggregation", "min_jurors"])
    logger.info(
        "Ranking options of edition %s set to %s/%s/%s by user %s",
        settings.edition_id,
        normalization,
        aggregation,
        min_jurors,
        user.pk,
    )
    return settings


# What counts.


@dataclass
class EditionScores:
    """Everything the ranking of an edition is made of, read in a fixed number of queries."""

    edition: Edition
    categories: list[Category]
    criteria: list[Criterion]
    films: dict[int, Film]
    counting: list[Evaluation] = field(default_factory=list)
    validated: list[Evaluation] = field(default_factory=list)

    @property
    def juror_ids(self) -> list[int]:
        return sorted({evaluation.juror_id for evaluation in self.counting})


def edition_scores(edition: Edition) -> EditionScores:
    categories = list(edition.categories.order_by("position", "name", "pk"))
    criteria = list(Criterion.objects.filter(edition=edition).order_by("position", "pk"))
    films = {
        film.pk: film
        for film in Film.objects.filter(edition=edition, status__in=ELIGIBLE_FILM_STATUSES)
        .select_related("category", "school", "company")
        .order_by("category__position", "title", "pk")
    }
    validated = list(
        Evaluation.objects.filter(film_id__in=list(films), state=EvaluationState.VALIDATED)
        .select_related("juror")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("criterion_id")))
        .order_by("film_id", "juror_id")
    )
    juror_ids = {evaluation.juror_id for evaluation in validated}
    assignments = {
        (a.film_id, a.juror_id): a
        for a in Assignment.objects.filter(film_id__in=list(films), juror_id__in=juror_ids)
    }
    trainees = {
        (m.jury_id, m.juror_id): m.is_trainee
        for m in JuryMember.objects.filter(jury__edition=edition, juror_id__in=juror_ids)
    }
    conflicts = conflicts_between(films=films.values(), juror_ids=juror_ids)
    counting = []
    for evaluation in validated:
        evaluation.film = films[evaluation.film_id]
        assignment = assignments.get((evaluation.film_id, evaluation.juror_id))
        if assignment is None:
            continue
        if not (assignment.active or assignment.ended_reason == AssignmentEnd.DROPPED_OUT):
            continue
        if trainees.get((assignment.jury_id, evaluation.juror_id), True):
            continue
        if (evaluation.film_id, evaluation.juror_id) in conflicts:
            continue
        counting.append(evaluation)
    return EditionScores(
        edition=edition,
        categories=categories,
        criteria=criteria,
        films=films,
        counting=counting,
        validated=validated,
    )


def criterion_specs(criteria: list[Criterion]) -> list[CriterionSpec]:
    return [
        CriterionSpec(
            name=c.name,
            weight=float(c.weight),
            min=float(c.min_score),
            max=float(c.max_score),
            priority=c.is_priority,
        )
        for c in criteria
    ]


def rows_of(data: EditionScores):
    names = {criterion.pk: criterion.name for criterion in data.criteria}
    rows = []
    favourites = []
    for evaluation in data.counting:
        film = data.films[evaluation.film_id]
        category = film.category.slug
        for score in evaluation.scores.all():
            rows.append(
                ScoreRow(
                    category=category,
                    film=str(film.pk),
                    juror=str(evaluation.juror_id),
                    criterion=names[score.criterion_id],
                    score=float(score.value),
                )
            )
        if evaluation.favourite:
            favourites.append((category, str(film.pk), str(evaluation.juror_id)))
    return rows, criterion_specs(data.criteria), favourites


def edition_rows(edition: Edition):
    """(score rows, criteria, coups de cœur) of the edition's counting jurors."""
    return rows_of(edition_scores(edition))


def _options(edition, normalize, aggregate, min_jurors) -> tuple[str, str, int]:
    if normalize is None or aggregate is None or min_jurors is None:
        settings = results_settings(edition)
        normalize = normalize or settings.normalization
        aggregate = aggregate or settings.aggregation
        min_jurors = settings.min_jurors if min_jurors is None else min_jurors
    return normalize, aggregate, min_jurors


def rank_rows(rows, criteria, favourites, *, normalize, aggregate, min_jurors):
    return rank(
        scores=rows,
        criteria=criteria,
        favourites=favourites,
        normalize=normalize,
        aggregate=aggregate,
        min_jurors=min_jurors,
    )


def rank_edition(
    edition: Edition,
    *,
    normalize: str | None = None,
    aggregate: str | None = None,
    min_jurors: int | None = None,
) -> dict[str, list[RankedFilm]]:
    """{category slug: ranked films}, with the edition's options unless given.

    Films are identified by their id as a string; films without a counting score are absent.
    """
    normalize, aggregate, min_jurors = _options(edition, normalize, aggregate, min_jurors)
    rows, criteria, favourites = edition_rows(edition)
    return rank_rows(
        rows,
        criteria,
        favourites,
        normalize=normalize,
        aggregate=aggregate,
        min_jurors=min_jurors,
    )


# Agreement between jurors and stability of the podium.


@dataclass
class PodiumVariant:
    normalize: str
    aggregate: str
    podium: list[str]
    changed: bool


@dataclass
class CategoryAgreement:
    category: str
    kendalls_w: float | None
    jurors: int
    films: int
    podium: list[str]
    variants: list[PodiumVariant]

    @property
    def stable(self) -> bool:
        return not any(variant.changed for variant in self.variants)


def podium(ranked: list[RankedFilm]) -> list[tuple[str, int]]:
    """The films ranked in the first three places, with their rank."""
    return [(f.film, f.rank) for f in ranked if f.rank is not None and f.rank <= PODIUM]


def juror_matrix(ranked: list[RankedFilm]) -> tuple[list[str], list[list[float | None]]]:
    """(jurors, rows): each juror's score on 20 for each film of the category, None if unscored."""
    jurors = sorted({j for film in ranked for j in film.steps["jurors"]}, key=_natural)
    matrix = [
        [
            film.steps["jurors"][juror]["on_20"] if juror in film.steps["jurors"] else None
            for film in ranked
        ]
        for juror in jurors
    ]
    return jurors, matrix


def _natural(value: str):
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def agreement_of(rows, criteria, favourites, *, normalize, aggregate, min_jurors):
    """{category: CategoryAgreement} from the engine's input."""
    options = {"normalize": normalize, "aggregate": aggregate, "min_jurors": min_jurors}
    base = rank_rows(rows, criteria, favourites, **options)
    variants = [(other, aggregate) for other in NORMALIZATIONS if other != normalize] + [
        (normalize, other) for other in AGGREGATIONS if other != aggregate
    ]
    others = {
        variant: rank_rows(
            rows,
            criteria,
            favourites,
            normalize=variant[0],
            aggregate=variant[1],
            min_jurors=min_jurors,
        )
        for variant in variants
    }
    result = {}
    for category, ranked in base.items():
        _jurors, matrix = juror_matrix(ranked)
        matrix = [matrix[i] for i in agreement_block(matrix)]
        block = complete_block(matrix)
        top = podium(ranked)
        result[category] = CategoryAgreement(
            category=category,
            kendalls_w=kendalls_w(matrix),
            jurors=len(matrix),
            films=len(block[0]) if block else 0,
            podium=[film for film, _rank in top],
            variants=[
                PodiumVariant(
                    normalize=n,
                    aggregate=a,
                    podium=[film for film, _rank in podium(others[n, a].get(category, []))],
                    changed=podium(others[n, a].get(category, [])) != top,
                )
                for n, a in variants
            ],
        )
    return result


def agreement(edition: Edition) -> dict[str, CategoryAgreement]:
    """Per category: Kendall's W of the counting jurors, and whether the podium changes under
    the other normalisation or another aggregation (everything else as the edition's options)."""
    normalize, aggregate, min_jurors = _options(edition, None, None, None)
    rows, criteria, favourites = edition_rows(edition)
    return agreement_of(
        rows,
        criteria,
        favourites,
        normalize=normalize,
        aggregate=aggregate,
        min_jurors=min_jurors,
    )
