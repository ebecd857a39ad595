"""The impact report: each edition's reach, compared over the years. Reads every layer.

One selector: `impact_report(festival=…)` for a festival (a row per edition), or
`impact_report()` for the installation: a row per year, all festivals together (distinct
schools, companies, trades and jurors counted once a year), and each festival's editions
beside it. The participation is counted as in each edition's own report
(`judging.participation`); the audience here. Its queries are the same whatever the number of
festivals and editions: each figure is one grouped query (8 for a festival, 15 for the
installation).
"""

from dataclasses import dataclass, field, fields

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from festival.models import Edition, Festival, Film
from judging.participation import grouped, participation_by
from public.audience import today
from public.models import EditionDay, FilmDay, VisitorHash


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
# The participation's figures and their names in judging.participation.
PARTICIPATION = {
    "entries": "films",
    "schools": "schools",
    "pupils": "pupils",
    "companies": "companies",
    "trades": "trades",
    "jurors": "jurors",
    "votes": "votes",
}


@dataclass
class FestivalImpact:
    """One festival's editions in the installation's report, oldest first like its totals."""

    festival: Festival
    rows: list[ImpactRow] = field(default_factory=list)

    @property
    def newest_first(self) -> list[ImpactRow]:
        return self.rows[::-1]

    @property
    def latest(self) -> ImpactRow:
        return self.rows[-1]


@dataclass
class ImpactReport:
    title: str
    rows: list[ImpactRow] = field(default_factory=list)
    festival: Festival | None = None
    # The installation's report only: each festival's editions, by festival name.
    festivals: list[FestivalImpact] = field(default_factory=list)

    def series(self, name: str) -> list[tuple[str, int]]:
        return [(row.label, getattr(row, name)) for row in self.rows]

    def totals(self) -> dict[str, int]:
        return {name: sum(getattr(row, name) for row in self.rows) for name in FIGURE_NAMES}


def impact_report(*, festival: Festival | None = None) -> ImpactReport:
    """A festival's editions (by year), or every festival's editions added up year by year and
    each festival's editions."""
    report = ImpactReport(
        title=festival.name if festival else str(_("Tous les festivals")), festival=festival
    )
    editions = Edition.objects.order_by("year", "pk")
    if festival is not None:
        editions = list(editions.filter(festival=festival).only("pk", "year"))
    else:
        editions = list(
            editions.select_related("festival").only(
                "pk", "year", "festival__name", "festival__slug"
            )
        )
    if not editions:
        return report
    by_edition = {
        edition.pk: ImpactRow(label=str(edition.year), year=edition.year) for edition in editions
    }
    if festival is not None:
        _count(by_edition, "edition_id", Q(edition__festival=festival))
        report.rows = list(by_edition.values())
        return report
    by_year = {
        edition.year: ImpactRow(label=str(edition.year), year=edition.year) for edition in editions
    }
    _count(by_year, "edition__year", Q())
    _count(by_edition, "edition_id", Q())
    report.rows = list(by_year.values())
    festivals: dict[int, FestivalImpact] = {}
    for edition in editions:
        impact = festivals.setdefault(edition.festival_id, FestivalImpact(edition.festival))
        impact.rows.append(by_edition[edition.pk])
    report.festivals = sorted(festivals.values(), key=lambda f: (f.festival.name, f.festival.pk))
    return report


def _count(rows: dict, key: str, scope: Q) -> None:
    """Fill `rows` ({group: ImpactRow}) with the figures of the films grouped by `key` (a path
    from Film to the group: "edition_id", "edition__year"): seven grouped queries."""
    participation = participation_by(Film.objects.filter(scope), key)
    for group, figures in participation.items():
        if group in rows:
            for name, source in PARTICIPATION.items():
                setattr(rows[group], name, getattr(figures, source))
    film_scope = _prefixed(scope, "film__")
    audience = [
        grouped(
            FilmDay.objects.filter(film_scope),
            f"film__{key}",
            views=Sum("views"),
            plays=Sum("plays"),
        ),
        grouped(EditionDay.objects.filter(scope), key, visitors=Sum("visitors")),
    ]
    for values in audience:
        for group, counts in values.items():
            if group in rows:
                for name, value in counts.items():
                    setattr(rows[group], name, value or 0)
    # The day not folded yet: its visitors still are hashes.
    live = grouped(
        VisitorHash.objects.filter(film_scope, play=False, day__gte=today()),
        f"film__{key}",
        visitors=Count("digest", distinct=True),
    )
    for group, counts in live.items():
        if group in rows:
            rows[group].visitors += counts["visitors"]


def _prefixed(scope: Q, prefix: str) -> Q:
    """The same condition seen from a related model (`edition__festival` → `film__edition__…`)."""
    return Q(*[(prefix + name, value) for name, value in scope.children])
