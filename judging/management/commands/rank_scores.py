"""Rank exported scores with the platform's engine: anyone can check a published ranking.

    python manage.py rank_scores SCORES.csv --criteria CRITERIA.csv [--favourites FAVS.csv]
        [--normalize none|zscore] [--aggregate mean|median|trimmed] [--min-jurors N] --json

The last line printed is the JSON ranking. Any problem in the files stops with a French
message and exit code 2.
"""

import csv
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from festival.spreadsheets import unguard_text
from judging.ranking import (
    AGGREGATIONS,
    NORMALIZATIONS,
    CriterionSpec,
    RankingError,
    ScoreRow,
    rank,
)

SCORES_COLUMNS = ("category", "film", "juror", "criterion", "score")
CRITERIA_COLUMNS = ("criterion", "weight", "min", "max", "priority")
FAVOURITES_COLUMNS = ("category", "film", "juror")
ERROR_CODE = 2


def fail(message: str):
    raise CommandError(message, returncode=ERROR_CODE)


def read_table(path: str, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    """(line number, row) of a CSV file whose header holds `columns` (others are ignored)."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in columns if name not in header]
            if missing:
                fail(
                    _("%(file)s : colonne(s) manquante(s) : %(columns)s.")
                    % {"file": path, "columns": ", ".join(missing)}
                )
            reader.fieldnames = header
            # Our exports guard text cells against formulas ("=x" is written "'=x"): read back
            # the text that was exported.
            return [
                (
                    number,
                    {k: unguard_text(v or "").strip() for k, v in row.items() if k is not None},
                )
                for number, row in enumerate(reader, start=2)
            ]
    except FileNotFoundError:
        fail(_("Fichier introuvable : %(file)s.") % {"file": path})
    except (UnicodeDecodeError, csv.Error):
        fail(_("%(file)s n'est pas un fichier CSV en UTF-8.") % {"file": path})


def to_number(text: str, *, path: str, line: int, column: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        fail(
            _("%(file)s, ligne %(line)s : « %(value)s » n'est pas un nombre (colonne %(column)s).")
            % {"file": path, "line": line, "value": text, "column": column}
        )
    return value


def read_criteria(path: str) -> dict[str, CriterionSpec]:
    criteria: dict[str, CriterionSpec] = {}
    for line, row in read_table(path, CRITERIA_COLUMNS):
        name = row["criterion"]
        if not name:
            fail(
                _("%(file)s, ligne %(line)s : nom de critère vide.") % {"file": path, "line": line}
            )
        if name in criteria:
            fail(
                _("%(file)s, ligne %(line)s : le critère « %(name)s » est en double.")
                % {"file": path, "line": line, "name": name}
            )
        weight, low, high = (
            to_number(row[column], path=path, line=line, column=column)
            for column in ("weight", "min", "max")
        )
        if weight <= 0:
            fail(
                _("%(file)s, ligne %(line)s : le coefficient de « %(name)s » doit être positif.")
                % {"file": path, "line": line, "name": name}
            )
        if low >= high:
            fail(
                _(
                    "%(file)s, ligne %(line)s : la note minimale de « %(name)s » doit être "
                    "inférieure à sa note maximale."
                )
                % {"file": path, "line": line, "name": name}
            )
        if row["priority"] not in ("", "0", "1"):
            fail(
                _("%(file)s, ligne %(line)s : la colonne priority vaut 1 ou 0.")
                % {"file": path, "line": line}
            )
        criteria[name] = CriterionSpec(
            name=name,
            weight=float(weight),
            min=float(low),
            max=float(high),
            priority=row["priority"] == "1",
        )
    if sum(1 for c in criteria.values() if c.priority) > 1:
        fail(_("%(file)s : un seul critère peut être prioritaire.") % {"file": path})
    return criteria


def read_scores(path: str, criteria: dict[str, CriterionSpec]) -> list[ScoreRow]:
    rows = []
    seen = set()
    scales = {name: (Decimal(str(c.min)), Decimal(str(c.max))) for name, c in criteria.items()}
    # (criterion, text) → score: an edition's scores take a few dozen distinct values, each
    # read and checked against its scale once.
    read: dict[tuple[str, str], float] = {}
    for line, row in read_table(path, SCORES_COLUMNS):
        where = {"file": path, "line": line}
        for column in ("category", "film", "juror"):
            if not row[column]:
                fail(
                    _("%(file)s, ligne %(line)s : colonne %(column)s vide.")
                    % {
                        **where,
                        "column": column,
                    }
                )
        criterion = criteria.get(row["criterion"])
        if criterion is None:
            fail(
                _(
                    "%(file)s, ligne %(line)s : critère inconnu « %(name)s » (absent du fichier "
                    "des critères)."
                )
                % {**where, "name": row["criterion"]}
            )
        score = read.get((criterion.name, row["score"]))
        if score is None:
            score = _checked_score(row["score"], criterion, scales[criterion.name], where)
            read[criterion.name, row["score"]] = score
        key = (row["category"], row["film"], row["juror"], row["criterion"])
        if key in seen:
            fail(
                _("%(file)s, ligne %(line)s : note en double pour ce film, ce juré et ce critère.")
                % where
            )
        seen.add(key)
        rows.append(ScoreRow(*key[:4], score=score))
    return rows


def _checked_score(text: str, criterion: CriterionSpec, scale, where: dict) -> float:
    value = to_number(text, path=where["file"], line=where["line"], column="score")
    low, high = scale
    if not low <= value <= high:
        fail(
            _(
                "%(file)s, ligne %(line)s : la note %(value)s de « %(name)s » sort de "
                "l'échelle [%(min)s, %(max)s]."
            )
            % {
                **where,
                "value": text,
                "name": criterion.name,
                "min": _plain(criterion.min),
                "max": _plain(criterion.max),
            }
        )
    return float(value)


def _plain(value: float) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def read_favourites(path: str | None) -> list[tuple[str, str, str]]:
    if not path:
        return []
    return [
        (row["category"], row["film"], row["juror"])
        for _line, row in read_table(path, FAVOURITES_COLUMNS)
    ]


class Command(BaseCommand):
    help = _("Classe les films à partir des notes exportées, comme la plateforme.")

    def add_arguments(self, parser):
        parser.add_argument("scores", help="SCORES.csv : category,film,juror,criterion,score")
        parser.add_argument(
            "--criteria", required=True, help="CRITERIA.csv : criterion,weight,min,max,priority"
        )
        parser.add_argument("--favourites", help="FAVS.csv : category,film,juror")
        parser.add_argument("--normalize", choices=NORMALIZATIONS, default="none")
        parser.add_argument("--aggregate", choices=AGGREGATIONS, default="mean")
        parser.add_argument("--min-jurors", type=int, default=2)
        parser.add_argument("--json", action="store_true", help=_("Sortie JSON"))

    def handle(self, *args, **options):
        if options["min_jurors"] < 1:
            fail(_("--min-jurors vaut au moins 1."))
        criteria = read_criteria(options["criteria"])
        scores = read_scores(options["scores"], criteria)
        favourites = read_favourites(options["favourites"])
        try:
            ranking = rank(
                scores=scores,
                criteria=criteria.values(),
                favourites=favourites,
                normalize=options["normalize"],
                aggregate=options["aggregate"],
                min_jurors=options["min_jurors"],
            )
        except RankingError as error:
            fail(_("Classement impossible : %(error)s") % {"error": error})
        if options["json"]:
            payload = {
                "categories": {
                    category: [film.as_dict() for film in films]
                    for category, films in ranking.items()
                }
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for category, films in ranking.items():
            self.stdout.write(category)
            for film in films:
                rank_text = "-" if film.rank is None else str(film.rank)
                self.stdout.write(
                    f"  {rank_text:>3}  {film.film}  {film.score}  "
                    f"({film.jurors})  {film.tie_break or ''}  {film.status}"
                )
