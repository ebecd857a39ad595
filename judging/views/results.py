"""The organizers' results pages: the ranking per category and its options, each film's
explanation, the jurors' agreement, and the downloads. A film's feedback sheet is also the
teacher's, once the palmarès is published.

Every object is reached through a festival-scoped lookup: a stranger's edition or film is a 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from festival.models import Film
from festival.rules import (
    default_edition_for_organizer,
    get_edition_for_organizer,
    organizer_required,
)
from judging import exports
from judging.agreement import AGREEMENT_THRESHOLD
from judging.enums import Aggregation, Normalization
from judging.models_results import ResultsSettings
from judging.results import (
    EditionResults,
    results_settings,
    status_label,
    tie_break_label,
    update_ranking_options,
)
from judging.rules import get_film_for_feedback

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


class RankingOptionsForm(forms.ModelForm):
    class Meta:
        model = ResultsSettings
        fields = ["normalization", "aggregation", "min_jurors"]
        widgets = {
            "normalization": forms.RadioSelect,
            "aggregation": forms.RadioSelect,
        }

    def clean_min_jurors(self):
        value = self.cleaned_data["min_jurors"]
        if value < 1:
            raise forms.ValidationError(_("Il faut au moins un juré par film."))
        return value


class RawScoresForm(forms.Form):
    jurors = forms.ChoiceField(
        label=gettext_lazy("Jurés"),
        choices=[
            ("anonymes", gettext_lazy("anonymes (Juré 1, Juré 2…)")),
            ("noms", gettext_lazy("avec leur nom")),
        ],
        required=False,
    )

    def named(self) -> bool:
        return self.is_valid() and self.cleaned_data["jurors"] == "noms"


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _variant_label(variant) -> str:
    normalizations = _labels(Normalization.choices)
    aggregations = _labels(Aggregation.choices)
    return f"{normalizations[variant.normalize]} · {aggregations[variant.aggregate]}".lower()


@organizer_required
def current(request):
    """The ranking of the organizer's current edition: the menu's way in from any page."""
    edition = default_edition_for_organizer(request.user)
    if edition is None:
        return render(request, "judging/organizer/no_edition.html")
    return redirect("judging:results", edition_pk=edition.pk)


def _podium_titles(results: EditionResults, film_ids: list[str]) -> list[str]:
    films = results.films
    return [films[int(pk)].title for pk in film_ids if int(pk) in films]


@organizer_required
def ranking(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    results = EditionResults.load(edition)
    settings = results.settings
    categories = []
    for category in results.categories:
        films = results.category_ranking(category)
        listed = {int(f.film) for f in films}
        agreement = results.agreement.get(category.slug)
        variants = agreement.variants if agreement else []
        categories.append(
            {
                "category": category,
                "lines": [
                    {
                        "ranked": f,
                        "film": results.films[int(f.film)],
                        "tie_break": tie_break_label(f.tie_break),
                        "status": status_label(f.status),
                    }
                    for f in films
                ],
                "unscored": [
                    film
                    for film in results.films.values()
                    if film.category_id == category.pk and film.pk not in listed
                ],
                "agreement": agreement,
                "changes": [_variant_label(v) for v in variants if v.changed],
            }
        )
    return render(
        request,
        "judging/results/ranking.html",
        {
            "edition": edition,
            "settings": settings,
            "form": RankingOptionsForm(instance=settings),
            "raw_form": RawScoresForm(),
            "categories": categories,
            "agreement_threshold": AGREEMENT_THRESHOLD,
            "normalization_label": _labels(Normalization.choices)[settings.normalization],
            "aggregation_label": _labels(Aggregation.choices)[settings.aggregation],
        },
    )


@organizer_required
@require_POST
def options(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    form = RankingOptionsForm(request.POST, instance=results_settings(edition))
    if not form.is_valid():
        messages.error(request, _("Options du classement invalides : rien n'a été changé."))
        return redirect("judging:results", edition_pk=edition.pk)
    update_ranking_options(
        edition=edition,
        normalization=form.cleaned_data["normalization"],
        aggregation=form.cleaned_data["aggregation"],
        min_jurors=form.cleaned_data["min_jurors"],
        user=request.user,
    )
    messages.success(request, _("Options du classement enregistrées."))
    return redirect("judging:results", edition_pk=edition.pk)


@organizer_required
def explanations(request, edition_pk):
    """Every ranked film, by category, each opening the explanation of its place."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    results = EditionResults.load(edition)
    categories = []
    for category in results.categories:
        ranked = {int(f.film): f for f in results.category_ranking(category)}
        categories.append(
            {
                "category": category,
                "films": [
                    {"film": film, "ranked": ranked.get(film.pk)}
                    for film in results.films.values()
                    if film.category_id == category.pk
                ],
            }
        )
    return render(
        request,
        "judging/results/films.html",
        {"edition": edition, "categories": categories},
    )


@organizer_required
def agreement(request, edition_pk):
    """Per category: do the jurors agree, and would another way of computing change the podium."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    results = EditionResults.load(edition)
    categories = []
    for category in results.categories:
        block = results.agreement.get(category.slug)
        variants = block.variants if block else []
        categories.append(
            {
                "category": category,
                "agreement": block,
                "podium": _podium_titles(results, block.podium) if block else [],
                "changes": [_variant_label(v) for v in variants if v.changed],
                "variants": [
                    {
                        "label": _variant_label(variant),
                        "podium": _podium_titles(results, variant.podium),
                        "changed": variant.changed,
                    }
                    for variant in variants
                ],
            }
        )
    return render(
        request,
        "judging/results/agreement.html",
        {"edition": edition, "categories": categories, "agreement_threshold": AGREEMENT_THRESHOLD},
    )


@organizer_required
def explanation(request, edition_pk, film_pk):
    """Every step from each juror's marks to the film's place."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    film = get_object_or_404(
        Film.objects.select_related("category", "school"), edition=edition, pk=film_pk
    )
    results = EditionResults.load(edition)
    settings, data = results.settings, results.scores
    entry = results.ranked_film(film)
    names = {e.juror_id: e.juror.get_full_name() for e in data.validated}
    counted = {e.juror_id for e in data.counting if e.film_id == film.pk}
    not_counted = [
        names[e.juror_id]
        for e in data.validated
        if e.film_id == film.pk and e.juror_id not in counted
    ]
    jurors = []
    if entry is not None:
        steps = entry.steps
        aggregated = set(steps["aggregated"])
        priority = steps["priority"]["jurors"]
        for juror, step in steps["jurors"].items():
            jurors.append(
                {
                    "name": names.get(int(juror), juror),
                    "criteria": [(c.name, step["criteria"].get(c.name)) for c in data.criteria],
                    "on_20": step["on_20"],
                    "z": step["z"],
                    "normalised": step["normalised"],
                    "aggregated": juror in aggregated,
                    "priority": priority.get(juror),
                }
            )
    return render(
        request,
        "judging/results/film.html",
        {
            "edition": edition,
            "film": film,
            "entry": entry,
            "jurors": jurors,
            "criteria": data.criteria,
            "not_counted": not_counted,
            "settings": settings,
            "zscore": settings.normalization == "zscore",
            "tie_break": tie_break_label(entry.tie_break) if entry else "",
            "status": status_label(entry.status) if entry else "",
            "normalization_label": _labels(Normalization.choices)[settings.normalization],
            "aggregation_label": _labels(Aggregation.choices)[settings.aggregation],
        },
    )


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


DOWNLOADS = {
    # name: (content type, builder(results, request)); `results` reads nothing until used.
    "notes.csv": (CSV, lambda x, r: exports.raw_scores_csv(x.edition, named=_named(r), results=x)),
    "notes.xlsx": (
        XLSX,
        lambda x, r: exports.raw_scores_xlsx(x.edition, named=_named(r), results=x),
    ),
    "classement.csv": (CSV, lambda x, r: exports.results_csv(x.edition, results=x)),
    "classement.xlsx": (XLSX, lambda x, r: exports.results_xlsx(x.edition, results=x)),
    "scores.csv": (CSV, lambda x, r: exports.scores_csv(x.edition, results=x)),
    "criteria.csv": (CSV, lambda x, r: exports.criteria_csv(x.edition)),
    "favourites.csv": (CSV, lambda x, r: exports.favourites_csv(x.edition, results=x)),
    "impact.csv": (CSV, lambda x, r: exports.impact_csv(x.edition)),
    "impact.pdf": (PDF, lambda x, r: exports.impact_pdf(x.edition)),
}


def _named(request) -> bool:
    return RawScoresForm(request.GET).named()


@organizer_required
def download(request, edition_pk, filename):
    edition = get_edition_for_organizer(request.user, edition_pk)
    if filename not in DOWNLOADS:
        raise Http404
    content_type, build = DOWNLOADS[filename]
    content = build(EditionResults.load(edition), request)
    return _attachment(content, content_type, f"filmit-{edition.year}-{filename}")


@login_required
def feedback_sheet(request, film_pk):
    film = get_film_for_feedback(request.user, film_pk)
    return _attachment(exports.feedback_pdf(film), PDF, f"filmit-retour-jury-{film.pk}.pdf")
