"""Downloads: the ranking's input files, scores and results as CSV and XLSX, a film's feedback
sheet and the edition's impact report as PDF.

The three `rank_scores` input files (`scores_csv`, `criteria_csv`, `favourites_csv`) are the
engine's exact input: `manage.py rank_scores` on them prints the edition's ranking.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from festival.enums import Academie
from festival.models import Edition, Film
from festival.spreadsheets import csv_text, plain_number, xlsx_bytes
from judging.enums import EvaluationState
from judging.models import Criterion, Evaluation, Score
from judging.participation import Participation, participation_by
from judging.results import EditionResults, status_label, tie_break_label

SCORES_HEADER = ["category", "film", "juror", "criterion", "score"]
CRITERIA_HEADER = ["criterion", "weight", "min", "max", "priority"]
FAVOURITES_HEADER = ["category", "film", "juror"]


def _csv(header: list[str], rows) -> str:
    """Every CSV download and the ranking's input files, through the guarded writer."""
    return csv_text(header, rows, lineterminator="\n")


# The ranking's input files.


def scores_csv(edition: Edition, *, results: EditionResults | None = None) -> str:
    rows = (results or EditionResults.load(edition)).input.rows
    return _csv(
        SCORES_HEADER,
        ([r.category, r.film, r.juror, r.criterion, Decimal(str(r.score))] for r in rows),
    )


def criteria_csv(edition: Edition) -> str:
    criteria = Criterion.objects.filter(edition=edition).order_by("position", "pk")
    return _csv(
        CRITERIA_HEADER,
        (
            [
                c.name,
                c.weight,
                c.min_score,
                c.max_score,
                1 if c.is_priority else 0,
            ]
            for c in criteria
        ),
    )


def favourites_csv(edition: Edition, *, results: EditionResults | None = None) -> str:
    favourites = (results or EditionResults.load(edition)).input.favourites
    return _csv(FAVOURITES_HEADER, (list(f) for f in favourites))


# Scores, jurors named or anonymised.


def juror_labels(evaluations, *, named: bool) -> dict[int, str]:
    """Juror id → "Juré 1", "Juré 2"… (in the order of their accounts), or their name."""
    jurors = {e.juror_id: e.juror for e in evaluations}
    if named:
        return {pk: juror.get_full_name() or juror.email for pk, juror in jurors.items()}
    return {pk: _("Juré %(number)s") % {"number": i} for i, pk in enumerate(sorted(jurors), 1)}


def raw_scores_header() -> list[str]:
    return [
        _("Catégorie"),
        _("N° du film"),
        _("Film"),
        _("Établissement"),
        _("Juré"),
        _("Critère"),
        _("Note"),
    ]


def raw_score_rows(
    edition: Edition, *, named: bool, results: EditionResults | None = None
) -> list[list]:
    """Every score that counts in the ranking, one line per juror and criterion."""
    data = (results or EditionResults.load(edition)).scores
    labels = juror_labels(data.counting, named=named)
    names = {c.pk: c.name for c in data.criteria}
    lines = []
    for evaluation in data.counting:
        film = data.films[evaluation.film_id]
        for score in evaluation.scores.all():
            lines.append(
                [
                    film.category.name,
                    film.pk,
                    film.title,
                    film.school.name,
                    labels[evaluation.juror_id],
                    names[score.criterion_id],
                    float(score.value),
                ]
            )
    return lines


def raw_scores_csv(edition: Edition, *, named: bool, results: EditionResults | None = None) -> str:
    return _csv(raw_scores_header(), raw_score_rows(edition, named=named, results=results))


def raw_scores_xlsx(
    edition: Edition, *, named: bool, results: EditionResults | None = None
) -> bytes:
    rows = raw_score_rows(edition, named=named, results=results)
    return xlsx_bytes(_("Notes"), raw_scores_header(), rows)


# Results.


def results_header() -> list[str]:
    return [
        _("Catégorie"),
        _("Rang"),
        _("N° du film"),
        _("Film"),
        _("Établissement"),
        _("Note sur 20"),
        _("Jurés"),
        _("Départage"),
        _("Statut"),
    ]


def result_rows(edition: Edition, *, results: EditionResults | None = None) -> list[list]:
    results = results or EditionResults.load(edition)
    lines = []
    for category in results.categories:
        for ranked in results.category_ranking(category):
            film = results.films[int(ranked.film)]
            lines.append(
                [
                    category.name,
                    ranked.rank if ranked.rank is not None else "",
                    film.pk,
                    film.title,
                    film.school.name,
                    ranked.score,
                    ranked.jurors,
                    str(tie_break_label(ranked.tie_break)),
                    str(status_label(ranked.status)),
                ]
            )
    return lines


def results_csv(edition: Edition, *, results: EditionResults | None = None) -> str:
    return _csv(results_header(), result_rows(edition, results=results))


def results_xlsx(edition: Edition, *, results: EditionResults | None = None) -> bytes:
    return xlsx_bytes(_("Classement"), results_header(), result_rows(edition, results=results))


# PDF.


class Document(FPDF):
    """An A4 page in Helvetica; the text goes through Windows-1252, which covers French."""

    def __init__(self, title: str):
        super().__init__(format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.set_title(title)
        self.set_creator("FILM'IT")
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def text_line(self, text: str, *, size: int = 10, style: str = "", height: float = 6):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, height, fit(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str, size: int = 13):
        self.ln(2)
        self.text_line(text, size=size, style="B", height=8)

    def bar_chart(self, title: str, bars: list[tuple[str, int]]):
        """Horizontal bars drawn with rectangles, the value at the end of each bar."""
        if not bars:
            return
        self.heading(title, size=11)
        label_width, bar_width, height = 60, 110, 6
        top = max(value for _label, value in bars) or 1
        self.set_font("Helvetica", "", 9)
        for label, value in bars:
            if self.will_page_break(height + 1):
                self.add_page()
            y = self.get_y()
            self.set_xy(self.l_margin, y)
            self.cell(label_width, height, fit(label)[:40])
            width = bar_width * value / top
            self.set_fill_color(31, 94, 140)
            if width:
                self.rect(self.l_margin + label_width, y + 1, width, height - 2, style="F")
            self.set_xy(self.l_margin + label_width + width + 2, y)
            self.cell(20, height, str(value))
            self.set_xy(self.l_margin, y + height + 1)

    def table(self, header: list[str], rows: list[list], widths: list[float]):
        self.set_font("Helvetica", "B", 8)
        for text, width in zip(header, widths, strict=True):
            self.cell(width, 6, fit(text), border=1)
        self.ln()
        self.set_font("Helvetica", "", 8)
        for row in rows:
            for text, width in zip(row, widths, strict=True):
                self.cell(width, 6, fit(str(text))[:45], border=1)
            self.ln()

    def bytes(self) -> bytes:
        return bytes(self.output())


def fit(text: str) -> str:
    """Text the PDF's core font can draw: characters outside Windows-1252 become "?"."""
    return str(text).encode("cp1252", errors="replace").decode("cp1252")


def _plain(value: Decimal) -> str:
    return plain_number(value).replace(".", ",")


# The feedback sheet.


@dataclass
class CriterionFeedback:
    criterion: Criterion
    mean: Decimal | None
    count: int


@dataclass
class Feedback:
    film: Film
    criteria: list[CriterionFeedback]
    comments: list[tuple[str, str]] = field(default_factory=list)


def feedback(film: Film) -> Feedback:
    """The jury's marks by criterion and its comments on a film, jurors anonymised.

    Every validated evaluation is read, a trainee's included: the class deserves every word
    written about its film; the ranking's rules on who counts are about prizes, not feedback.
    """
    evaluations = list(
        Evaluation.objects.filter(film=film, state=EvaluationState.VALIDATED).order_by("juror_id")
    )
    criteria = list(Criterion.objects.filter(edition_id=film.edition_id).order_by("position"))
    values: dict[int, list[Decimal]] = defaultdict(list)
    for score in Score.objects.filter(evaluation__in=evaluations):
        values[score.criterion_id].append(score.value)
    lines = []
    for criterion in criteria:
        marks = values.get(criterion.pk, [])
        mean = (sum(marks) / len(marks)).quantize(Decimal("0.1")) if marks else None
        lines.append(CriterionFeedback(criterion=criterion, mean=mean, count=len(marks)))
    written = [e.comment.strip() for e in evaluations if e.comment.strip()]
    comments = [(_("Juré %(number)s") % {"number": i}, text) for i, text in enumerate(written, 1)]
    return Feedback(film=film, criteria=lines, comments=comments)


def feedback_pdf(film: Film) -> bytes:
    sheet = feedback(film)
    pdf = Document(_("Retour du jury — %(title)s") % {"title": film.title})
    pdf.text_line(str(film.edition), size=10)
    pdf.heading(_("Retour du jury"), size=16)
    pdf.text_line(film.title, size=14, style="B")
    pdf.text_line(
        _("Catégorie : %(category)s — %(school)s")
        % {"category": film.category.name, "school": film.school.name}
    )
    pdf.heading(_("Notes moyennes du jury, critère par critère"))
    for line in sheet.criteria:
        if line.mean is None:
            value = _("pas de note")
        else:
            value = _("%(mean)s sur %(max)s") % {
                "mean": _plain(line.mean),
                "max": _plain(line.criterion.max_score),
            }
        pdf.text_line(f"{line.criterion.name} : {value}", style="B")
        if line.criterion.description:
            pdf.text_line(line.criterion.description, size=9)
    pdf.heading(_("Commentaires du jury"))
    if not sheet.comments:
        pdf.text_line(_("Le jury n'a pas laissé de commentaire écrit."))
    for label, comment in sheet.comments:
        pdf.text_line(label, style="B")
        pdf.text_line(comment)
        pdf.ln(1)
    pdf.ln(4)
    pdf.text_line(
        _("Les jurés sont anonymes. Merci à la classe pour son film !"), size=9, style="I"
    )
    return pdf.bytes()


# The impact report.


@dataclass
class ImpactLine(Participation):
    label: str = ""

    def cells(self) -> list:
        return [
            self.films,
            self.schools,
            self.pupils,
            self.teachers,
            self.companies,
            self.jurors,
            self.votes,
        ]


@dataclass
class ImpactReport:
    edition: Edition
    total: ImpactLine
    categories: list[ImpactLine]
    academies: list[ImpactLine]


def _line(label: str, figures: Participation | None) -> ImpactLine:
    return ImpactLine(label=label, **asdict(figures or Participation()))


def impact_report(edition: Edition) -> ImpactReport:
    """The edition's participation (judging.participation), in all and by category and by
    académie."""
    films = Film.objects.filter(edition=edition)
    total = participation_by(films, "edition_id").get(edition.pk)
    by_category = participation_by(films, "category_id")
    by_academie = participation_by(films, "school__academie")
    categories = [
        _line(category.name, by_category.get(category.pk))
        for category in edition.categories.order_by("position", "name")
    ]
    academie_names = dict(Academie.choices)
    academies = [
        _line(str(academie_names.get(code, code)), by_academie[code])
        for code in sorted(by_academie, key=lambda c: str(academie_names.get(c, c)))
    ]
    return ImpactReport(
        edition=edition,
        total=_line(_("Total"), total),
        categories=categories,
        academies=academies,
    )


def impact_header() -> list[str]:
    return [
        _("Périmètre"),
        _("Intitulé"),
        _("Films"),
        _("Établissements"),
        _("Élèves"),
        _("Enseignants"),
        _("Entreprises"),
        _("Jurés"),
        _("Votes du public"),
    ]


def impact_rows(report: ImpactReport) -> list[list]:
    rows = [[_("Édition"), report.total.label, *report.total.cells()]]
    rows += [[_("Catégorie"), line.label, *line.cells()] for line in report.categories]
    rows += [[_("Académie"), line.label, *line.cells()] for line in report.academies]
    return rows


def impact_csv(edition: Edition) -> str:
    return _csv(impact_header(), impact_rows(impact_report(edition)))


def impact_pdf(edition: Edition) -> bytes:
    report = impact_report(edition)
    pdf = Document(_("Rapport d'impact — %(edition)s") % {"edition": edition.title})
    pdf.heading(_("Rapport d'impact"), size=16)
    pdf.text_line(edition.title, size=13, style="B")
    pdf.text_line(
        _("Édité le %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
        size=9,
    )
    total = report.total
    pdf.heading(_("En chiffres"))
    for label, value in zip(impact_header()[2:], total.cells(), strict=True):
        pdf.text_line(f"{label} : {value}")
    header = [_("Intitulé"), *impact_header()[2:]]
    widths = [46, 17, 22, 17, 20, 20, 15, 23]
    pdf.heading(_("Par catégorie"))
    pdf.table(header, [[line.label, *line.cells()] for line in report.categories], widths)
    pdf.heading(_("Par académie"))
    pdf.table(header, [[line.label, *line.cells()] for line in report.academies], widths)
    pdf.bar_chart(
        _("Films par catégorie"), [(line.label, line.films) for line in report.categories]
    )
    pdf.bar_chart(
        _("Élèves par catégorie"), [(line.label, line.pupils) for line in report.categories]
    )
    pdf.bar_chart(_("Films par académie"), [(line.label, line.films) for line in report.academies])
    pdf.ln(4)
    pdf.text_line(
        _(
            "Films en compétition (déposés ou acceptés). Jurés : personnes ayant validé au moins "
            "une évaluation. Votes du public : votes confirmés par e-mail."
        ),
        size=8,
        style="I",
    )
    return pdf.bytes()
