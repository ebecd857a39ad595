"""The public gallery: editions archive, palmarès, winning films, film pages and embedding.

Everything here reads `judging.visibility` (through `public.selectors`): a film the public may
not see is a 404, and a palmarès is rendered from its frozen snapshot, never from the live awards.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Value, When
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import urlencode
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from festival.models import Festival
from judging.visibility import LivePalmares, public_films
from public.audience import PLAY_SECONDS, counted_film_page
from public.cache import cache_seconds, gallery_version, shared_page
from public.filters import GalleryFilter
from public.selectors import (
    crew_names,
    edition_with_palmares,
    film_url,
    palmares_sections,
    player,
    poster_of,
    poster_url,
    public_film_or_404,
    public_posters,
    published_editions,
    ready_versions,
    with_posters,
)

PAGE_SIZE = 24
EMBED_WIDTH, EMBED_HEIGHT = 640, 360


@require_GET
@shared_page
def archive(request):
    """Every festival's published palmarès (a single festival's on a single-festival site)."""
    return render(request, "public/archive.html", {"editions": published_editions()})


@require_GET
@shared_page
def festival_archive(request, slug):
    """One festival's editions with a published palmarès: never another festival's."""
    festival = get_object_or_404(Festival, slug=slug)
    context = {
        "editions": published_editions(festival),
        "festival": festival,
        "page_festival": festival,
    }
    return render(request, "public/archive.html", context)


@require_GET
@shared_page
def palmares(request, festival, year):
    edition, publication = edition_with_palmares(festival, year)
    posters = public_posters(edition, publication, request.user)
    context = {
        "edition": edition,
        "page_festival": edition.festival,
        "page_edition": edition,
        **with_posters(palmares_sections(publication, set(posters)), posters),
    }
    return render(request, "public/palmares.html", context)


# The gallery.


class GalleryPage:
    """What the gallery shows, computed only when the template asks for it: a fragment found
    in the cache runs no query at all."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def live(self) -> LivePalmares:
        return LivePalmares.load()

    @cached_property
    def filterset(self) -> GalleryFilter:
        winner_ids = sorted(self.live.winner_ids())
        films = (
            public_films(palmares=self.live)
            .annotate(
                is_winner=Case(
                    When(pk__in=winner_ids, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
            .select_related("edition", "category", "school", "company")
            .prefetch_related("trades", ready_versions())
            .order_by("-edition__year", "-is_winner", "category__position", "title", "pk")
        )
        return GalleryFilter(self.request.GET or None, queryset=films)

    @cached_property
    def page_obj(self):
        return Paginator(self.filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))

    @cached_property
    def cards(self) -> list[dict]:
        prizes = self.live.prizes_by_film()
        return [
            {
                "film": film,
                "poster": poster_of(film, self.request.user),
                "prizes": prizes.get(film.pk, []),
            }
            for film in self.page_obj
        ]


def _query_key(params, *, without=()) -> str:
    """The query string in a stable order: one cache entry per distinct set of filters."""
    items = sorted((k, v) for k in params if k not in without for v in params.getlist(k))
    return urlencode(items)


@require_GET
@shared_page
def gallery(request):
    page = GalleryPage(request)
    context = {
        "filter": SimpleLazyObject(lambda: page.filterset),
        "page_obj": SimpleLazyObject(lambda: page.page_obj),
        "cards": SimpleLazyObject(lambda: page.cards),
        # Filters in use stay unfolded on a phone, to show what is chosen.
        "filtering": any(value for key, value in request.GET.items() if key != "page"),
        # The filter form is the same for everyone; the cards hold poster links signed for
        # the visitor, so only anonymous visitors (one and the same signature) share them.
        "cache_version": gallery_version(),
        "cache_seconds": cache_seconds(),
        "filters_key": _query_key(request.GET, without={"page"}),
        "results_key": _query_key(request.GET),
        "shared_results": not request.user.is_authenticated,
        # Filtered on one festival (or one of its editions), the gallery is that festival's
        # page; unfiltered, it is the installation's.
        "page_festival": SimpleLazyObject(lambda: page.filterset.chosen_festival()),
        # Filtered on one trade, the gallery leads to that trade's page.
        "chosen_trade": page.filterset.chosen_trade() if request.GET.get("trade") else None,
    }
    return render(request, "public/gallery.html", context)


# A film.


@require_GET
@counted_film_page
@shared_page
def film_detail(request, pk):
    live = LivePalmares.load()
    film = public_film_or_404(pk, live)
    poster = poster_of(film, request.user, size="page")
    page_url = request.build_absolute_uri(film_url(film))
    context = {
        "film": film,
        "page_festival": film.edition.festival,
        "page_edition": film.edition,
        "sources": player(film, request.user),
        "play_seconds": PLAY_SECONDS,
        "poster": poster,
        "crew": crew_names(film),
        "trades": list(film.trades.all()),
        "prizes": live.prizes_by_film().get(film.pk, []),
        "page_url": page_url,
        "embed_code": embed_code(request, film),
        "og_image": request.build_absolute_uri(poster_url(film)) if poster else "",
        "oembed_url": request.build_absolute_uri(reverse("public:oembed"))
        + "?"
        + urlencode({"url": page_url, "format": "json"}),
    }
    return render(request, "public/film.html", context)


@require_GET
def poster(request, pk):
    """A stable poster address for link previews (og:image): a redirect to a signed file."""
    film = public_film_or_404(pk)
    found = poster_of(film, request.user, size="page")
    if found is None or not found.jpg:
        raise Http404
    response = HttpResponseRedirect(found.jpg)
    response["Cache-Control"] = "no-store"
    return response


# Embedding on partners' sites.

EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}


@require_GET
@xframe_options_exempt
@csp_override(EMBED_CSP)
def embed(request, pk):
    """The bare player a partner's site frames; the only page that may be framed."""
    film = public_film_or_404(pk)
    context = {
        "film": film,
        "sources": player(film, request.user),
        "page_url": request.build_absolute_uri(film_url(film)),
        "play_seconds": PLAY_SECONDS,
    }
    return render(request, "public/embed.html", context)


def _dimension(value: str | None, default: int) -> int:
    try:
        return max(120, min(int(value), 1920)) if value else default
    except ValueError:
        return default


def embed_code(request, film, width: int = EMBED_WIDTH, height: int = EMBED_HEIGHT) -> str:
    """The <iframe> a partner pastes: oEmbed's `html`, and the film page's "Intégrer"."""
    return render_to_string(
        "public/_oembed_iframe.html",
        {
            "src": request.build_absolute_uri(reverse("public:embed", args=[film.pk])),
            "film": film,
            "width": width,
            "height": height,
        },
    ).strip()


@require_GET
def oembed(request):
    """oEmbed (https://oembed.com) for film pages: JSON, type video, an <iframe> player."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    try:
        match = resolve(urlsplit(request.GET.get("url", "")).path)
    except Resolver404:
        raise Http404 from None
    if match.view_name != "public:film":
        raise Http404
    film = public_film_or_404(match.kwargs["pk"])
    width = _dimension(request.GET.get("maxwidth"), EMBED_WIDTH)
    height = min(
        width * EMBED_HEIGHT // EMBED_WIDTH, _dimension(request.GET.get("maxheight"), 1080)
    )
    width = min(width, height * EMBED_WIDTH // EMBED_HEIGHT)
    html = embed_code(request, film, width, height)
    data = {
        "version": "1.0",
        "type": "video",
        "title": film.title,
        "author_name": film.school.name,
        "provider_name": "FILM'IT",
        "provider_url": request.build_absolute_uri(reverse("public:home")),
        "html": html,
        "width": width,
        "height": height,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
