"""How an edition's participation is counted, in one place for every report that shows it: the
edition's own impact report (judging.exports, by category and by académie) and the impact
report across editions (public.impact, by edition or by year).

Films in competition are the submitted or accepted ones; their schools, teachers, companies and
trades are counted once each; jurors are those who validated at least one evaluation of them;
votes are the confirmed public votes for them. Whatever the number of groups, four grouped
queries.
"""

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, Sum

from festival.models import Film
from judging.enums import EvaluationState
from judging.models import Evaluation
from judging.models_results import PublicVote
from judging.rules import ELIGIBLE_FILM_STATUSES


@dataclass
class Participation:
    films: int = 0
    schools: int = 0
    pupils: int = 0
    teachers: int = 0
    companies: int = 0
    trades: int = 0
    jurors: int = 0
    votes: int = 0


def grouped(queryset, key: str, **figures) -> dict:
    """{group: {figure: value}} from one GROUP BY query on `key` (a path from the model)."""
    return {
        row.pop("group"): row
        for row in queryset.values(group=F(key)).annotate(**figures).order_by()
    }


def participation_by(films: QuerySet, key: str) -> dict:
    """{group: Participation} for the films in competition among `films`, grouped by `key`, a
    path from Film ("category_id", "school__academie", "edition_id", "edition__year")."""
    films = films.filter(status__in=ELIGIBLE_FILM_STATUSES)
    ids = films.values("pk")
    counts = [
        grouped(
            films,
            key,
            films=Count("pk"),
            schools=Count("school", distinct=True),
            pupils=Sum("pupil_count"),
            teachers=Count("teacher", distinct=True),
            companies=Count("company", distinct=True),
        ),
        grouped(
            Film.trades.through.objects.filter(film__in=ids),
            f"film__{key}",
            trades=Count("trade", distinct=True),
        ),
        grouped(
            Evaluation.objects.filter(film__in=ids, state=EvaluationState.VALIDATED),
            f"film__{key}",
            jurors=Count("juror", distinct=True),
        ),
        grouped(
            PublicVote.objects.filter(film__in=ids, confirmed_at__isnull=False),
            f"film__{key}",
            votes=Count("pk"),
        ),
    ]
    result: dict = {}
    for values in counts:
        for group, figures in values.items():
            line = result.setdefault(group, Participation())
            for name, value in figures.items():
                setattr(line, name, value or 0)
    return result
