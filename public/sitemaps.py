"""The sitemap: the public pages, each festival's pages, every published palmarès, every
public film and every trade's page."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from festival.models import Company, Festival
from judging.visibility import public_films
from public.selectors import company_url, film_url, public_trades, published_editions


class StaticSitemap(Sitemap):
    def items(self):
        return ["public:home", "public:archive", "public:gallery", "public:trades"]

    def location(self, item):
        return reverse(item)


class FestivalSitemap(Sitemap):
    """Each festival's home and the archive of its editions."""

    def items(self):
        slugs = Festival.objects.order_by("name", "pk").values_list("slug", flat=True)
        pages = ("public:festival", "public:festival_archive")
        return [(name, slug) for slug in slugs for name in pages]

    def location(self, item):
        name, slug = item
        return reverse(name, args=[slug])


class PalmaresSitemap(Sitemap):
    def items(self):
        return list(published_editions())

    def location(self, edition):
        return reverse("public:palmares", args=[edition.festival.slug, edition.year])


class FilmSitemap(Sitemap):
    def items(self):
        return list(public_films().order_by("pk").only("pk", "updated_at"))

    def location(self, film):
        return film_url(film)

    def lastmod(self, film):
        return film.updated_at


class TradeSitemap(Sitemap):
    """The trades with a page: shown by a public film or described."""

    def items(self):
        return list(public_trades().values_list("slug", flat=True))

    def location(self, slug):
        return reverse("public:trade", args=[slug])
class CompanySitemap(Sitemap):
    """The pages of the companies that agreed to appear, when a public film was shot there."""

    def items(self):
        shot_there = public_films().values("company_id")
        return list(
            Company.objects.publicly_named().filter(pk__in=shot_there).order_by("pk").only("pk")
        )

    def location(self, company):
        return company_url(company.pk)


SITEMAPS = {
    "pages": StaticSitemap,
    "festivals": FestivalSitemap,
    "palmares": PalmaresSitemap,
    "films": FilmSitemap,
    "trades": TradeSitemap,
    "companies": CompanySitemap,
}
