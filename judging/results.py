"""An edition's results: which scores count, read from the database once per request and fed
to the pure engine, and `EditionResults`, the one object every page and export reads them from.

Which scores count (the issue's "validated scores of counting jurors"), decided here once:

- validated evaluations only, of films still in competition (submitted or accepted);
- of a juror whose assignment to the film is active, or ended because the juror dropped out
  (notes validated before leaving are finished work and stay); an assignment ended by the
  organizers or by a conflict of interest does not count;
- of a full member of the assignment's jury: a trainee's notes are shown, never counted;
- of a juror with no conflict with the film: no declared conflict, no affiliation with its
  school or its partner company (checked again here, whatever the assignment says);
- of a jury of the stage being ranked: the palmarès counts the final juries only; the
  pre-selection ranking counts the pre-selection juries only. With a pre-selection round the
  final ranks the finalists only (`judging.selectors_selection.finalist_films`).

Identifiers given to the engine, and written in the exported files: the category's slug, the
film's id, the juror's id and the criterion's name.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from festival.models import Category, Edition, Film, User
from judging.agreement import CategoryAgreement, agreement_of
from judging.enums import AssignmentEnd, EvaluationState, JuryStage
from judging.marks import criterion_spec
from judging.models import Assignment, Criterion, Evaluation, JuryMember, Score
from judging.models_results import ResultsSettings
from judging.ranking import CriterionSpec, RankedFilm, ScoreRow, rank
from judging.rules import ELIGIBLE_FILM_STATUSES
from judging.selectors import conflicts_between
from judging.selectors_selection import finalist_films

logger = logging.getLogger(__name__)

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
    """The edition's results settings; the defaults, unsaved, until an organizer changes them
    (reading the results never writes)."""
    return ResultsSettings.objects.filter(edition=edition).first() or ResultsSettings(
        edition=edition
    )


def update_ranking_options(
    *, edition: Edition, normalization: str, aggregation: str, min_jurors: int, user: User
) -> ResultsSettings:
    """Save how the edition's ranking is computed."""
    settings, _created = ResultsSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "normalization": normalization,
            "aggregation": aggregation,
            "min_jurors": min_jurors,
        },
    )
    logger.info(
        "Ranking options of edition %s set to %s/%s/%s by user %s",
        edition.pk,
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


def edition_scores(edition: Edition, *, stage: str = JuryStage.FINAL) -> EditionScores:
    """The edition's categories, criteria, films in competition and the validated evaluations
    of the stage's juries, those that count marked apart; read by `EditionResults`, once per
    request."""
    categories = list(edition.categories.order_by("position", "name", "pk"))
    criteria = list(Criterion.objects.filter(edition=edition).order_by("position", "pk"))
    if stage == JuryStage.FINAL:
        competing = finalist_films(edition)
    else:
        competing = Film.objects.filter(edition=edition, status__in=ELIGIBLE_FILM_STATUSES)
    films = {
        film.pk: film
        for film in competing.select_related("category", "school", "company").order_by(
            "category__position", "title", "pk"
        )
    }
    evaluations = list(
        Evaluation.objects.filter(film_id__in=list(films), state=EvaluationState.VALIDATED)
        .select_related("juror")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("criterion_id")))
        .order_by("film_id", "juror_id")
    )
    juror_ids = {evaluation.juror_id for evaluation in evaluations}
    assignments = {
        (a.film_id, a.juror_id): a
        for a in Assignment.objects.filter(
            film_id__in=list(films), juror_id__in=juror_ids
        ).select_related("jury")
    }
    # Another stage's work is neither counted nor shown here (an evaluation without an
    # assignment is the final's, as before stages existed).
    validated = [
        evaluation
        for evaluation in evaluations
        if _stage_of(assignments.get((evaluation.film_id, evaluation.juror_id))) == stage
    ]
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


def _stage_of(assignment: Assignment | None) -> str:
    return assignment.jury.stage if assignment is not None else JuryStage.FINAL


@dataclass(frozen=True)
class EngineInput:
    """The engine's input: what `rank_scores` reads from the three exported files."""

    rows: list[ScoreRow]
    criteria: list[CriterionSpec]
    favourites: list[tuple[str, str, str]]


def engine_input(data: EditionScores) -> EngineInput:
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
    return EngineInput(
        rows=rows,
        criteria=[criterion_spec(c) for c in data.criteria],
        favourites=favourites,
    )


def rank_input(data: EngineInput, *, normalize: str, aggregate: str, min_jurors: int):
    return rank(
        scores=data.rows,
        criteria=data.criteria,
        favourites=data.favourites,
        normalize=normalize,
        aggregate=aggregate,
        min_jurors=min_jurors,
    )


# The results of an edition.


class EditionResults:
    """An edition's results, computed once per request from one load of its scores.

    Everything is read or computed on first use and kept: the counting scores (`scores`), the
    engine's input (`input`), the ranking per category (`ranking`), the coups de cœur
    (`favourite_counts`) and the agreement between jurors (`agreement`). A view loads one and
    passes it to every function that needs it (proposals, decisions, the palmarès snapshot,
    the exports); those functions load their own when given none.
    """

    def __init__(
        self,
        edition: Edition,
        *,
        normalize: str | None = None,
        aggregate: str | None = None,
        min_jurors: int | None = None,
        stage: str = JuryStage.FINAL,
    ):
        self.edition = edition
        self.stage = stage
        self._options = {"normalize": normalize, "aggregate": aggregate, "min_jurors": min_jurors}

    @classmethod
    def load(
        cls,
        edition: Edition,
        *,
        normalize: str | None = None,
        aggregate: str | None = None,
        min_jurors: int | None = None,
        stage: str = JuryStage.FINAL,
    ) -> EditionResults:
        """The edition's results, with its own ranking options unless some are given. Nothing
        is read before it is used. `stage` PRESELECTION ranks the pre-selection juries' scores
        (the finalists' choice); the palmarès reads the final's, the default."""
        return cls(
            edition, normalize=normalize, aggregate=aggregate, min_jurors=min_jurors, stage=stage
        )

    @cached_property
    def settings(self) -> ResultsSettings:
        return results_settings(self.edition)

    @cached_property
    def options(self) -> dict:
        """The ranking options, {normalize, aggregate, min_jurors}: those given, the edition's
        settings for the others."""
        given = self._options
        if None not in given.values():
            return dict(given)
        settings = self.settings
        edition = {
            "normalize": settings.normalization,
            "aggregate": settings.aggregation,
            "min_jurors": settings.min_jurors,
        }
        return {name: edition[name] if value is None else value for name, value in given.items()}

    @cached_property
    def scores(self) -> EditionScores:
        return edition_scores(self.edition, stage=self.stage)

    @property
    def categories(self) -> list[Category]:
        return self.scores.categories

    @property
    def criteria(self) -> list[Criterion]:
        return self.scores.criteria

    @property
    def films(self) -> dict[int, Film]:
        """The films in competition, by id, with their category, school and company."""
        return self.scores.films

    @cached_property
    def input(self) -> EngineInput:
        return engine_input(self.scores)

    @cached_property
    def ranking(self) -> dict[str, list[RankedFilm]]:
        """{category slug: ranked films}; films without a counting score are absent.

        Films are identified by their id as a string, as in the exported files.
        """
        return rank_input(self.input, **self.options)

    def category_ranking(self, category: Category) -> list[RankedFilm]:
        return self.ranking.get(category.slug, [])

    def ranked_film(self, film: Film) -> RankedFilm | None:
        return next(
            (f for f in self.ranking.get(film.category.slug, []) if f.film == str(film.pk)),
            None,
        )

    @cached_property
    def favourite_counts(self) -> Counter:
        """{film_id: coups de cœur} of the jurors whose scores count."""
        return Counter(int(film) for _category, film, _juror in self.input.favourites)

    @cached_property
    def agreement(self) -> dict[str, CategoryAgreement]:
        """Per category: Kendall's W of the counting jurors, and whether the podium changes
        under the other normalisation or another aggregation (everything else as the options).
        """
        return agreement_of(self.input, self.ranking, **self.options)


def rank_edition(
    edition: Edition,
    *,
    normalize: str | None = None,
    aggregate: str | None = None,
    min_jurors: int | None = None,
) -> dict[str, list[RankedFilm]]:
    """{category slug: ranked films}, with the edition's options unless given.

    A shorthand for the tests that compare an edition's ranking with `rank_scores` on its
    exported files; a page loads one `EditionResults` and reads it.
    """
    return EditionResults.load(
        edition, normalize=normalize, aggregate=aggregate, min_jurors=min_jurors
    ).ranking
