"""The organizers' pre-selection pages: the round's settings, the pre-selection ranking where
the finalists are ticked, and the check-your-answers page before the announcement.

Every edition is reached through the festival-scoped lookup: a stranger's edition is a 404.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from festival.models import Film
from festival.rules import get_edition_for_organizer, organizer_required
from judging.domain import DomainError
from judging.domain import selection as domain
from judging.enums import JuryStage, SelectionState
from judging.forms.selection import AnnounceForm, FinalistsForm, SelectionSettingsForm
from judging.models import Jury
from judging.models_selection import Finalist, SelectionRound
from judging.results import EditionResults, status_label
from judging.selectors_selection import selection_round as round_of


def _round(edition) -> SelectionRound:
    """The edition's round, or its defaults unsaved (reading a page never writes)."""
    return round_of(edition) or SelectionRound(edition=edition)


def _error(request, error: DomainError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _finalists_by_category(selection_round: SelectionRound) -> list[dict]:
    finalists = list(
        Finalist.objects.filter(round=selection_round)
        .select_related("film", "film__school", "category")
        .order_by("category__position", "category__name", "film__title", "pk")
    )
    blocks: dict[int, dict] = {}
    for finalist in finalists:
        block = blocks.setdefault(
            finalist.category_id, {"category": finalist.category, "films": []}
        )
        block["films"].append(finalist.film)
    return list(blocks.values())


@organizer_required
def settings(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    selection_round = _round(edition)
    form = SelectionSettingsForm(
        request.POST if request.method == "POST" else None, instance=selection_round
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.save_round_settings(
                edition=edition,
                enabled=form.cleaned_data["enabled"],
                finalists_per_category=form.cleaned_data["finalists_per_category"],
                announce_at=form.cleaned_data["announce_at"],
                user=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Réglages de la présélection enregistrés."))
            return redirect("judging:selection_settings", edition_pk=edition.pk)
    return render(
        request,
        "judging/selection/settings.html",
        {
            "edition": edition,
            "selection_round": selection_round,
            "form": form,
            "finalist_count": (
                selection_round.finalists.count() if selection_round.pk is not None else 0
            ),
            "preselection_juries": Jury.objects.filter(
                edition=edition, stage=JuryStage.PRESELECTION
            ).order_by("name"),
        },
        status=400 if form.errors else 200,
    )


@organizer_required
def ranking(request, edition_pk):
    """Each category's films ranked by the pre-selection juries' scores, to tick the finalists
    (the top N ticked to start with)."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    selection_round = _round(edition)
    if not selection_round.enabled:
        messages.error(request, _("Activez d'abord la présélection de cette édition."))
        return redirect("judging:selection_settings", edition_pk=edition.pk)
    results = EditionResults.load(edition, stage=JuryStage.PRESELECTION)
    films = results.films
    chosen = set(Finalist.objects.filter(round=selection_round).values_list("film_id", flat=True))
    suggested = set()
    categories = []
    for category in results.categories:
        ranked = results.category_ranking(category)
        listed = {int(line.film) for line in ranked}
        top = [
            int(line.film)
            for line in ranked
            if line.rank is not None and line.rank <= selection_round.finalists_per_category
        ]
        suggested.update(top)
        categories.append(
            {
                "category": category,
                "lines": [
                    {
                        "ranked": line,
                        "film": films[int(line.film)],
                        "status": status_label(line.status),
                    }
                    for line in ranked
                ],
                "unscored": [
                    film
                    for film in films.values()
                    if film.category_id == category.pk and film.pk not in listed
                ],
            }
        )
    open_round = selection_round.state == SelectionState.OPEN
    form = FinalistsForm(
        request.POST if request.method == "POST" else None,
        films=Film.objects.filter(pk__in=list(films)).order_by("title", "pk"),
        initial={"films": sorted(chosen or suggested)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.choose_finalists(
                selection_round=selection_round,
                films=form.cleaned_data["films"],
                user=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            return redirect("judging:selection_check", edition_pk=edition.pk)
    ticked = {int(pk) for pk in (form["films"].value() or [])}
    return render(
        request,
        "judging/selection/ranking.html",
        {
            "edition": edition,
            "selection_round": selection_round,
            "categories": categories,
            "form": form,
            "ticked": ticked,
            "open_round": open_round,
        },
        status=400 if form.errors else 200,
    )


@organizer_required
def check(request, edition_pk):
    """Check your answers: the finalists by category and the announcement's date, then
    schedule the announcement or announce now."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    selection_round = _round(edition)
    if selection_round.pk is None or not selection_round.enabled:
        messages.error(request, _("Activez d'abord la présélection de cette édition."))
        return redirect("judging:selection_settings", edition_pk=edition.pk)
    form = AnnounceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["when"] == "now":
                domain.announce_now(selection_round=selection_round, user=request.user)
                messages.success(
                    request,
                    _(
                        "Les finalistes sont annoncés : leur page est publique et leurs "
                        "enseignants sont prévenus."
                    ),
                )
            else:
                domain.schedule_announcement(selection_round=selection_round, user=request.user)
                messages.success(
                    request,
                    _(
                        "L'annonce est programmée : les finalistes seront publiés et leurs "
                        "enseignants prévenus à la date prévue."
                    ),
                )
        except DomainError as error:
            form.add_error(None, error)
        else:
            return redirect("judging:selection_settings", edition_pk=edition.pk)
    return render(
        request,
        "judging/selection/check.html",
        {
            "edition": edition,
            "selection_round": selection_round,
            "blocks": _finalists_by_category(selection_round),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@organizer_required
@require_POST
def cancel(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    selection_round = _round(edition)
    if selection_round.pk is None:
        return redirect("judging:selection_settings", edition_pk=edition.pk)
    try:
        domain.cancel_announcement(selection_round=selection_round, user=request.user)
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(
            request, _("L'annonce est annulée : vous pouvez changer les finalistes et la date.")
        )
    return redirect("judging:selection_settings", edition_pk=edition.pk)
