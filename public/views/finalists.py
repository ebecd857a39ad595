"""The finalists of an edition's pre-selection, public once announced (a 404 before)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from festival.models import Edition
from judging.selectors_selection import announced_round, finalist_films
from judging.visibility import public_films
from public.selectors import poster_of, ready_versions


@require_GET
def finalists(request, slug, year):
    edition = get_object_or_404(
        Edition.objects.select_related("festival"), festival__slug=slug, year=year
    )
    selection_round = announced_round(edition)
    if selection_round is None:
        raise Http404
    films = list(
        finalist_films(edition)
        .select_related("category", "school", "edition")
        .order_by("category__position", "category__name", "title", "pk")
    )
    # Posters only of films the public may already see (consents validated, and a prize or
    # an open gallery): media are served to the public under that one rule.
    shown = {
        film.pk: film
        for film in public_films()
        .filter(pk__in=[film.pk for film in films])
        .prefetch_related(ready_versions())
    }
    categories: dict[int, dict] = {}
    for film in films:
        block = categories.setdefault(film.category_id, {"category": film.category, "cards": []})
        public = shown.get(film.pk)
        block["cards"].append(
            {
                "film": film,
                "poster": poster_of(public, request.user) if public is not None else None,
                "public": public is not None,
            }
        )
    return render(
        request,
        "public/finalists.html",
        {
            "edition": edition,
            "festival": edition.festival,
            "selection_round": selection_round,
            "categories": list(categories.values()),
            "page_festival": edition.festival,
            "page_edition": edition,
        },
    )
