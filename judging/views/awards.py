"""The organizers' results pages: prizes, the jury's decisions, the palmarès preview, its
publication history with hashes, PDFs, and the prix du public.

The decision page of a category is also open to the president of the jury of that category.
Every object is reached through a lookup scoped to the user's festival: a stranger's is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.models import Edition, Film
from festival.rules import (
    default_edition_for_organizer,
    get_edition_for_organizer,
    organizer_required,
)
from judging import certificates
from judging.domain.awards import (
    awards_of,
    decide_award,
    eligible_films,
    prizes_for_scope,
    proposals,
    save_prizes,
    seed_prizes,
)
from judging.domain.publication import (
    hash_matches,
    preview_snapshot,
    publish_palmares,
    unpublish_palmares,
)
from judging.domain.votes import films_with_counts, set_vote_window, vote_counts, vote_window
from judging.forms.awards import DecisionForm, PrizeFormSet, UnpublishForm, VoteWindowForm
from judging.models_results import Award, Prize
from judging.results import EditionResults
from judging.rules import (
    get_category_for_decider,
    get_prize_for_decider,
    get_publication_for_organizer,
)
from judging.selectors_results import live_publication

# Overview and prizes


@organizer_required
def current(request):
    """The palmarès of the organizer's current edition: the menu's way in from any page."""
    edition = default_edition_for_organizer(request.user)
    if edition is None:
        return render(request, "judging/organizer/no_edition.html")
    return redirect("judging:awards_home", edition_pk=edition.pk)


def _publications(edition: Edition) -> list:
    return list(
        edition.publications.select_related("published_by", "unpublished_by").order_by(
            "-published_at", "-pk"
        )
    )


@organizer_required
def results_home(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    categories = list(edition.categories.order_by("position", "name", "pk"))
    prizes = list(edition.prizes.select_related("category"))
    awarded = {}
    for award in awards_of(edition):
        awarded.setdefault(award.prize_id, []).append(award)
    for prize in prizes:
        prize.decided = awarded.get(prize.pk, [])
    for category in categories:
        category.prize_list = [p for p in prizes if p.category_id == category.pk]
    return render(
        request,
        "judging/awards/home.html",
        {
            "edition": edition,
            "categories": categories,
            "has_prizes": bool(prizes),
            "edition_prizes": [p for p in prizes if p.category_id is None],
            "live": live_publication(edition),
            "window": vote_window(edition),
        },
    )


@organizer_required
@require_POST
def prizes_seed(request, edition_pk):
    """The usual prizes, for an edition that has none (judging set up before its categories,
    or every prize deleted)."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    if seed_prizes(edition=edition):
        messages.success(
            request,
            _("Les prix habituels sont créés : modifiez-les ou complétez-les si besoin."),
        )
    else:
        messages.error(request, _("Cette édition a déjà ses prix : rien n'a été créé."))
    return redirect("judging:awards_home", edition_pk=edition.pk)


def _prize_groups(formset, categories) -> tuple[list[dict], list]:
    """The prize rows grouped by category in the categories' order, then the edition-wide
    prizes; and apart, the empty rows that add a prize."""
    groups = [{"category": category, "forms": []} for category in categories]
    by_category = {group["category"].pk: group for group in groups}
    edition_wide = {"category": None, "forms": []}
    new = []
    for form in formset:
        if form.instance.pk is None:
            new.append(form)
        else:
            by_category.get(form.instance.category_id, edition_wide)["forms"].append(form)
    return [*groups, edition_wide], new


@organizer_required
def prizes_edit(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    categories = edition.categories.order_by("position", "name")
    formset = PrizeFormSet(
        request.POST or None,
        queryset=edition.prizes.select_related("category"),
        categories=categories,
        prefix="prizes",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            save_prizes(
                edition=edition,
                prizes=formset.save(commit=False),
                deleted=formset.deleted_objects,
            )
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Les prix de l'édition sont enregistrés."))
            return redirect("judging:awards_prizes", edition_pk=edition.pk)
    groups, new_forms = _prize_groups(formset, categories)
    return render(
        request,
        "judging/awards/prizes.html",
        {"edition": edition, "formset": formset, "groups": groups, "new_forms": new_forms},
    )


# Decisions


def _decision_rows(
    edition: Edition, prizes: list[Prize], films, results: EditionResults, posted=None
):
    proposed = proposals(edition, prizes, results=results)
    awards: dict[int, list[Award]] = {}
    for award in Award.objects.filter(prize__in=prizes).select_related("film", "decided_by"):
        awards.setdefault(award.prize_id, []).append(award)
    films_by_id = {film.pk: film for film in films}
    rows = []
    for prize in prizes:
        decided = awards.get(prize.pk, [])
        proposal = proposed[prize.pk]
        if posted is not None and posted[0] == prize.pk:
            form = posted[1]
        else:
            initial_ids = [a.film_id for a in decided] if decided else proposal.film_ids
            form = DecisionForm(
                films=films,
                prefix=f"prize-{prize.pk}",
                initial={"films": initial_ids},
            )
        rows.append(
            {
                "prize": prize,
                "proposal": proposal,
                "proposed_films": [
                    films_by_id[pk] for pk in proposal.film_ids if pk in films_by_id
                ],
                "awards": decided,
                "form": form,
            }
        )
    return rows


def _decision_page(request, edition, category, *, results=None, posted=None, status=200):
    results = results or EditionResults.load(edition)
    prizes = list(prizes_for_scope(edition, category))
    films = (
        eligible_films(edition, category)
        .select_related("school", "category")
        .order_by("category__position", "title", "pk")
    )
    return render(
        request,
        "judging/awards/decisions.html",
        {
            "edition": edition,
            "category": category,
            "rows": _decision_rows(edition, prizes, list(films), results, posted),
            "is_organizer": request.user.is_organizer,
        },
        status=status,
    )


@login_required
def category_awards(request, category_pk):
    category = get_category_for_decider(request.user, category_pk)
    return _decision_page(request, category.edition, category)


@organizer_required
def edition_awards(request, edition_pk):
    """The prizes of the whole edition (prix du jury, prix spéciaux)."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    return _decision_page(request, edition, None)


@login_required
@require_POST
def award_decide(request, prize_pk):
    prize = get_prize_for_decider(request.user, prize_pk)
    results = EditionResults.load(prize.edition)
    films = eligible_films(prize.edition, prize.category).select_related("school")
    form = DecisionForm(request.POST, films=films, prefix=f"prize-{prize.pk}")
    if form.is_valid():
        try:
            decide_award(
                prize=prize,
                films=form.cleaned_data["films"],
                user=request.user,
                reason=form.cleaned_data["reason"],
                results=results,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Décision enregistrée pour « %(prize)s ».") % {"prize": prize.name}
            )
            if prize.category_id is None:
                return redirect("judging:awards_edition", edition_pk=prize.edition_id)
            return redirect("judging:awards_category", category_pk=prize.category_id)
    return _decision_page(
        request,
        prize.edition,
        prize.category,
        results=results,
        posted=(prize.pk, form),
        status=400,
    )


# Preview and publication


@organizer_required
def preview(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    return render(
        request,
        "judging/awards/preview.html",
        {
            "edition": edition,
            "snapshot": preview_snapshot(edition),
            "live": live_publication(edition),
        },
    )


@organizer_required
@require_POST
def publish(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    try:
        publication = publish_palmares(edition=edition, user=request.user)
    except DomainError as error:
        messages.error(request, error.text)
        return redirect("judging:awards_preview", edition_pk=edition.pk)
    messages.success(
        request,
        _(
            "Le palmarès est publié et figé (empreinte %(hash)s). Les enseignants et les jurés "
            "de l'édition sont prévenus par e-mail."
        )
        % {"hash": publication.content_hash[:12]},
    )
    return redirect("judging:awards_publication", pk=publication.pk)


@organizer_required
def publications(request, edition_pk):
    """Whether the palmarès is online, and every publication of the edition."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    return render(
        request,
        "judging/awards/publications.html",
        {
            "edition": edition,
            "live": live_publication(edition),
            "publications": _publications(edition),
        },
    )


@organizer_required
def publication_detail(request, pk):
    publication = get_publication_for_organizer(request.user, pk)
    return render(
        request,
        "judging/awards/publication.html",
        {
            "edition": publication.edition,
            "publication": publication,
            "snapshot": publication.snapshot,
            "hash_ok": hash_matches(publication),
            "form": UnpublishForm(),
        },
    )


@organizer_required
@require_POST
def unpublish(request, pk):
    publication = get_publication_for_organizer(request.user, pk)
    form = UnpublishForm(request.POST)
    form.is_valid()
    try:
        unpublish_palmares(
            publication=publication, user=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as error:
        form.add_error("reason", error)
        return render(
            request,
            "judging/awards/publication.html",
            {
                "edition": publication.edition,
                "publication": publication,
                "snapshot": publication.snapshot,
                "hash_ok": hash_matches(publication),
                "form": form,
            },
            status=400,
        )
    messages.success(request, _("Le palmarès est dépublié ; le motif est conservé."))
    return redirect("judging:awards_publications", edition_pk=publication.edition_id)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organizer_required
def publication_pdf(request, pk):
    publication = get_publication_for_organizer(request.user, pk)
    return _pdf_response(
        certificates.palmares_pdf(publication.snapshot),
        f"palmares-{publication.edition.year}-{publication.pk}.pdf",
    )


@organizer_required
def publication_certificates(request, pk):
    publication = get_publication_for_organizer(request.user, pk)
    film_ids = {award["film_id"] for award in publication.snapshot["awards"]}
    crews = {
        film.pk: film.crew
        for film in Film.objects.filter(pk__in=film_ids, edition_id=publication.edition_id).only(
            "pk", "crew"
        )
    }
    return _pdf_response(
        certificates.certificates_pdf(publication.snapshot, crews=crews),
        f"diplomes-{publication.edition.year}-{publication.pk}.pdf",
    )


# Prix du public


@organizer_required
def votes(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    window = vote_window(edition)
    form = VoteWindowForm(
        request.POST or None,
        initial={
            "opens_at": window.opens_at if window else None,
            "closes_at": window.closes_at if window else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_vote_window(
                edition=edition,
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les dates du prix du public sont enregistrées."))
            return redirect("judging:awards_votes", edition_pk=edition.pk)
    counts = vote_counts(edition)
    films = list(films_with_counts(edition))
    for film in films:
        film.votes = counts.get(film.pk, {"confirmed": 0, "pending": 0})
    return render(
        request,
        "judging/awards/votes.html",
        {"edition": edition, "form": form, "window": window, "films": films},
    )
