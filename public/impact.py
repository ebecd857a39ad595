"""The impact report: each edition's reach, compared over the years. Reads every layer.

One selector, `impact_report(festival_id=…)` for a festival (a row per edition) or
`impact_report()` for the installation (a row per year, all festivals together, distinct
schools, companies, trades and jurors counted once a year). Its queries are the same nine
whatever the number of editions: each figure is one grouped query.
"""

from dataclasses import dataclass, field, fields

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from festival.models import Edition, Festival, Film
from judging.enums import EvaluationState
from judging.models import Evaluation
from judging.models_results import PublicVote
from judging.rules import ELIGIBLE_FILM_STATUSES
from public.audience import today
from public.models import EditionDay, FilmDay, VisitorHash

# The figures are counted as in each edition's own impact report (judging.exports): films in
# competition (submitted or accepted), jurors who validated an evaluation, confirmed votes.


@dataclass
class ImpactRow:
    label: str
    year: int
    entries: int = 0
    schools: int = 0
    pupils: int = 0
    companies: int = 0
    trades: int = 0
    jurors: int = 0
    votes: int = 0
    views: int = 0
    plays: int = 0
    visitors: int = 0


# The figures, in the report's order, with their column titles.
FIGURES = (
    ("entries", _("Films déposés")),
    ("schools", _("Établissements")),
    ("pupils", _("Élèves")),
    ("companies", _("Entreprises")),
    ("trades", _("Métiers montrés")),
    ("jurors", _("Jurés")),
    ("votes", _("Votes du public")),
    ("views", _("Vues des films")),
    ("plays", _("Lectures (30 s et plus)")),
    ("visitors", _("Visiteurs uniques")),
)
FIGURE_NAMES = tuple(name for name, _label in FIGURES)
assert set(FIGURE_NAMES) == {f.name for f in fields(ImpactRow)} - {"label", "year"}


@dataclass
class ImpactReport:
    title: str
    rows: list[ImpactRow] = field(default_factory=list)
    festival: Festival | None = None

    def series(self, name: str) -> list[tuple[str, int]]:
        return [(row.label, getattr(row, name)) for row in self.rows]

    def totals(self) -> dict[str, int]:
        return {name: sum(getattr(row, name) for row in self.rows) for name in FIGURE_NAMES}


def _grouped(queryset, key: str, **figures) -> dict:
    """{group: {figure: value}} from one GROUP BY query."""
    return {
        row.pop("group"): row
        for row in queryset.values(group=F(key)).annotate(**figures).order_by()
    }


def impact_report(*, festival: Festival | None = None) -> ImpactReport:
    """A festival's editions (by year), or every festival's editions added up year by year."""
    editions = Edition.objects.order_by("year", "pk")
    if festival is not None:
        editions = editions.filter(festival=festival)
        rows = {
            edition.pk: ImpactRow(label=str(edition.year), year=edition.year)
            for edition in editions.only("pk", "year")
        }
        # The path from each counted model to its edition's group.
        group = "edition_id"
    else:
        rows = {
            year: ImpactRow(label=str(year), year=year)
            for year in editions.values_list("year", flat=True).distinct().order_by("year")
        }
        group = "edition__year"
    report = ImpactReport(
        title=festival.name if festival else str(_("Tous les festivals")), festival=festival
    )
    if not rows:
        return report
    scope = Q(edition__festival=festival) if festival is not None else Q()

    def by(prefix: str) -> str:
        return f"{prefix}{group}" if prefix else group

    entries = Film.objects.filter(scope, status__in=ELIGIBLE_FILM_STATUSES)
    figures = [
        _grouped(
            entries,
            by(""),
            entries=Count("pk"),
            schools=Count("school", distinct=True),
            pupils=Sum("pupil_count"),
            companies=Count("company", distinct=True),
        ),
        _grouped(
            Film.trades.through.objects.filter(film__in=entries.values("pk")),
            by("film__"),
            trades=Count("trade", distinct=True),
        ),
        _grouped(
            Evaluation.objects.filter(
                film__in=entries.values("pk"), state=EvaluationState.VALIDATED
            ),
            by("film__"),
            jurors=Count("juror", distinct=True),
        ),
        _grouped(
            PublicVote.objects.filter(film__in=entries.values("pk"), confirmed_at__isnull=False),
            by("film__"),
            votes=Count("pk"),
        ),
        _grouped(
            FilmDay.objects.filter(_prefixed(scope, "film__")),
            by("film__"),
            views=Sum("views"),
            plays=Sum("plays"),
        ),
        _grouped(EditionDay.objects.filter(scope), by(""), visitors=Sum("visitors")),
    ]
    # The day not folded yet: its visitors still are hashes.
    live = _grouped(
        VisitorHash.objects.filter(_prefixed(scope, "film__"), play=False, day__gte=today()),
        by("film__"),
        visitors=Count("digest", distinct=True),
    )
    for values in figures:
        for key, counts in values.items():
            if key in rows:
                for name, value in counts.items():
                    setattr(rows[key], name, value or 0)
    for key, counts in live.items():
        if key in rows:
            rows[key].visitors += counts["visitors"]
    report.rows = list(rows.values())
    return report


def _prefixed(scope: Q, prefix: str) -> Q:
    """The same condition seen from a related model (`edition__festival` → `film__edition__…`)."""
    return Q(*[(prefix + name, value) for name, value in scope.children])
