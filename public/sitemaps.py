"""The sitemap: the public pages, every published palmarès and every public film."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from judging.visibility import public_films
from public.selectors import film_url, published_editions


class StaticSitemap(Sitemap):
    def items(self):
        return ["public:home", "public:archive", "public:gallery"]

    def location(self, item):
        return reverse(item)


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


SITEMAPS = {"pages": StaticSitemap, "palmares": PalmaresSitemap, "films": FilmSitemap}
