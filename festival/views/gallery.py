"""The public gallery: editions archive, palmarès, winning films, film pages and their feeds.

Everything here reads `judging.visibility`: a film the public may not see is a 404, and a
palmarès is rendered from its frozen snapshot, never from the live awards.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Value, When
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.dateparse import parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from festival.filters_public import GalleryFilter
from festival.models import Edition, Film
from judging.models_results import Publication
from judging.selectors_results import live_publication
from judging.visibility import LivePalmares, public_films
from media_pipeline import delivery
from media_pipeline.models import VideoStatus, VideoVersion

PAGE_SIZE = 24
EMBED_WIDTH, EMBED_HEIGHT = 640, 360


# Posters and players.


@dataclass
class Poster:
    jpg: str = ""
    webp: str = ""


def _ready_versions() -> Prefetch:
    ready = VideoVersion.objects.filter(status=VideoStatus.READY).order_by("-number")
    return Prefetch("video_versions", queryset=ready, to_attr="ready_versions")


def poster_of(film: Film, user, size: str = "list") -> Poster | None:
    """Signed poster URLs of a public film whose versions were prefetched (no query).

    The film comes from `public_films()`: it was checked already, so this signs directly.
    """
    version = film.ready_versions[0] if film.ready_versions else None
    sizes = ((version.outputs or {}).get("poster") or {}).get("sizes") or {} if version else {}
    if not sizes:
        return None
    token = delivery.sign(version=version, user=user)

    def url(name):
        return delivery.media_url(token, sizes[name]) if name in sizes else ""

    poster = Poster(jpg=url(f"{size}.jpg"), webp=url(f"{size}.webp"))
    return poster if poster.jpg or poster.webp else None


def _public_film_or_404(pk: int, palmares: LivePalmares | None = None) -> Film:
    films = public_films(palmares=palmares).select_related(
        "edition", "edition__festival", "category", "school", "company"
    )
    return get_object_or_404(films.prefetch_related("trades", _ready_versions()), pk=pk)


def _player(film: Film, user) -> delivery.Sources | None:
    version = film.ready_versions[0] if film.ready_versions else None
    if version is None:
        return None
    version.film = film
    return delivery.sources(version=version, user=user)


def crew_names(film: Film) -> list[str]:
    """Pupils by first name or pseudonym: the lines the teacher typed, nothing else."""
    return [line.strip() for line in film.crew.splitlines() if line.strip()]


# Editions archive and palmarès.


def published_editions():
    live = Publication.objects.filter(edition=OuterRef("pk"), unpublished_at__isnull=True)
    return (
        Edition.objects.filter(Exists(live))
        .select_related("festival")
        .order_by("-year", "festival__name", "pk")
    )


@require_GET
def archive(request):
    return render(request, "festival/gallery/archive.html", {"editions": published_editions()})


def _edition_with_palmares(festival: str, year: int) -> tuple[Edition, Publication]:
    edition = get_object_or_404(
        Edition.objects.select_related("festival"), festival__slug=festival, year=year
    )
    publication = live_publication(edition)
    if publication is None:
        raise Http404
    return edition, publication


def palmares_sections(publication: Publication, public_ids: set[int]) -> dict:
    """The frozen snapshot, grouped for the page: prizes per category, then special prizes."""
    snapshot = publication.snapshot or {}
    awards = []
    for award in snapshot.get("awards") or []:
        film_id = award.get("film_id")
        public = film_id is not None and int(film_id) in public_ids
        url = reverse("festival:gallery:film", args=[film_id]) if public else ""
        trades = [
            t.get("name", "") if isinstance(t, dict) else str(t) for t in award.get("trades") or []
        ]
        awards.append({**award, "trades": trades, "public": public, "url": url})
    categories = []
    for category in snapshot.get("categories") or []:
        won = [a for a in awards if a.get("category_id") == category.get("id")]
        if won:
            categories.append({**category, "awards": won})
    return {
        "snapshot": snapshot,
        "published_at": parse_datetime(snapshot.get("published_at") or "")
        or publication.published_at,
        "categories": categories,
        "specials": [a for a in awards if a.get("category_id") is None],
        "awards": awards,
    }


def _public_ids(edition: Edition, publication: Publication) -> set[int]:
    films = public_films(palmares=LivePalmares([publication])).filter(edition=edition)
    return set(films.values_list("pk", flat=True))


@require_GET
def palmares(request, festival, year):
    edition, publication = _edition_with_palmares(festival, year)
    context = {
        "edition": edition,
        **palmares_sections(publication, _public_ids(edition, publication)),
    }
    return render(request, "festival/gallery/palmares.html", context)


class PalmaresFeed(Feed):
    """An Atom feed of one edition's palmarès: one entry per prize awarded."""

    feed_type = Atom1Feed

    def get_object(self, request, festival, year):
        edition, publication = _edition_with_palmares(festival, year)
        edition.palmares = palmares_sections(publication, _public_ids(edition, publication))
        return edition

    def title(self, edition):
        return _("Palmarès — %(edition)s") % {
            "edition": edition.palmares["snapshot"].get("edition", {}).get("title") or edition.title
        }

    def subtitle(self, edition):
        return _("Les films récompensés de %(festival)s, %(year)s.") % {
            "festival": edition.festival.name,
            "year": edition.year,
        }

    def link(self, edition):
        return reverse("festival:gallery:palmares", args=[edition.festival.slug, edition.year])

    def items(self, edition):
        published_at = edition.palmares["published_at"]
        base = self.link(edition)
        return [
            {**award, "published_at": published_at, "palmares_url": base}
            for award in edition.palmares["awards"]
        ]

    def item_title(self, award):
        return _("%(prize)s : « %(film)s »") % {
            "prize": award.get("prize", ""),
            "film": award.get("film_title", ""),
        }

    def item_description(self, award):
        parts = [award.get("category") or "", award.get("school") or "", award.get("town") or ""]
        if award.get("company"):
            parts.append(_("tourné chez %(company)s") % {"company": award["company"]})
        return " — ".join(part for part in parts if part)

    def item_link(self, award):
        return award["url"] or f"{award['palmares_url']}#prix-{award.get('prize_id')}"

    def item_guid(self, award):
        return f"{award['palmares_url']}#prix-{award.get('prize_id')}-{award.get('film_id')}"

    item_guid_is_permalink = False

    def item_pubdate(self, award):
        return award["published_at"]

    def item_updateddate(self, award):
        return award["published_at"]


# The gallery.


@require_GET
def gallery(request):
    live = LivePalmares.load()
    winner_ids = sorted(live.winner_ids())
    films = (
        public_films(palmares=live)
        .annotate(
            is_winner=Case(
                When(pk__in=winner_ids, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("edition", "category", "school", "company")
        .prefetch_related("trades", _ready_versions())
        .order_by("-edition__year", "-is_winner", "category__position", "title", "pk")
    )
    filterset = GalleryFilter(request.GET or None, queryset=films)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    prizes = live.prizes_by_film()
    cards = [
        {"film": film, "poster": poster_of(film, request.user), "prizes": prizes.get(film.pk, [])}
        for film in page
    ]
    context = {"filter": filterset, "page_obj": page, "cards": cards}
    return render(request, "festival/gallery/gallery.html", context)


# A film.


@require_GET
def film_detail(request, pk):
    live = LivePalmares.load()
    film = _public_film_or_404(pk, live)
    poster = poster_of(film, request.user, size="page")
    page_url = request.build_absolute_uri(film_url(film))
    context = {
        "film": film,
        "sources": _player(film, request.user),
        "poster": poster,
        "crew": crew_names(film),
        "trades": list(film.trades.all()),
        "prizes": live.prizes_by_film().get(film.pk, []),
        "page_url": page_url,
        "og_image": request.build_absolute_uri(poster_url(film)) if poster else "",
        "oembed_url": request.build_absolute_uri(reverse("festival:gallery:oembed"))
        + "?"
        + urlencode({"url": page_url, "format": "json"}),
    }
    return render(request, "festival/gallery/film.html", context)


def film_url(film: Film) -> str:
    return reverse("festival:gallery:film", args=[film.pk])


def poster_url(film: Film) -> str:
    return reverse("festival:gallery:poster", args=[film.pk])


@require_GET
def poster(request, pk):
    """A stable poster address for link previews (og:image): a redirect to a signed file."""
    film = _public_film_or_404(pk)
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
    film = _public_film_or_404(pk)
    context = {
        "film": film,
        "sources": _player(film, request.user),
        "page_url": request.build_absolute_uri(film_url(film)),
    }
    return render(request, "festival/gallery/embed.html", context)


def _dimension(value: str | None, default: int) -> int:
    try:
        return max(120, min(int(value), 1920)) if value else default
    except ValueError:
        return default


@require_GET
def oembed(request):
    """oEmbed (https://oembed.com) for film pages: JSON, type video, an <iframe> player."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    try:
        match = resolve(urlsplit(request.GET.get("url", "")).path)
    except Resolver404:
        raise Http404 from None
    if match.view_name != "festival:gallery:film":
        raise Http404
    film = _public_film_or_404(match.kwargs["pk"])
    width = _dimension(request.GET.get("maxwidth"), EMBED_WIDTH)
    height = min(
        width * EMBED_HEIGHT // EMBED_WIDTH, _dimension(request.GET.get("maxheight"), 1080)
    )
    width = min(width, height * EMBED_WIDTH // EMBED_HEIGHT)
    html = render_to_string(
        "festival/gallery/_oembed_iframe.html",
        {
            "src": request.build_absolute_uri(reverse("festival:gallery:embed", args=[film.pk])),
            "film": film,
            "width": width,
            "height": height,
        },
    ).strip()
    data = {
        "version": "1.0",
        "type": "video",
        "title": film.title,
        "author_name": film.school.name,
        "provider_name": "FILM'IT",
        "provider_url": request.build_absolute_uri(reverse("festival:home")),
        "html": html,
        "width": width,
        "height": height,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Sitemap.


class StaticSitemap(Sitemap):
    def items(self):
        return ["festival:home", "festival:gallery:archive", "festival:gallery:gallery"]

    def location(self, item):
        return reverse(item)


class PalmaresSitemap(Sitemap):
    def items(self):
        return list(published_editions())

    def location(self, edition):
        return reverse("festival:gallery:palmares", args=[edition.festival.slug, edition.year])


class FilmSitemap(Sitemap):
    def items(self):
        return list(public_films().order_by("pk").only("pk", "updated_at"))

    def location(self, film):
        return film_url(film)

    def lastmod(self, film):
        return film.updated_at


SITEMAPS = {"pages": StaticSitemap, "palmares": PalmaresSitemap, "films": FilmSitemap}
