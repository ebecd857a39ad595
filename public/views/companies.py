"""A partner company's public page: who it is and the public films shot there.

Only once the company agreed to appear on the public site (`Company.objects.publicly_named`);
before that, or once it withdrew, the page is a 404 and its name is shown nowhere.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from festival.models import Company
from judging.visibility import LivePalmares, public_films
from public.cache import shared_page
from public.selectors import poster_of, ready_versions


@require_GET
@shared_page
def company_detail(request, pk):
    company = get_object_or_404(Company.objects.publicly_named(), pk=pk)
    live = LivePalmares.load()
    films = list(
        public_films(palmares=live)
        .filter(company=company)
        .select_related("edition", "edition__festival", "category", "school")
        .prefetch_related("trades", ready_versions())
        .order_by("-edition__year", "title", "pk")
    )
    prizes = live.prizes_by_film()
    cards = [
        {
            "film": film,
            "poster": poster_of(film, request.user),
            "prizes": prizes.get(film.pk, []),
        }
        for film in films
    ]
    festivals = {film.edition.festival for film in films}
    return render(
        request,
        "public/company.html",
        {
            "company": company,
            "cards": cards,
            # A company filmed for one festival only belongs to that festival's pages.
            "page_festival": festivals.pop() if len(festivals) == 1 else None,
        },
    )
