"""Atom feeds: an edition's palmarès (one entry per prize awarded, from the frozen snapshot),
and a festival's (one entry per palmarès published)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from festival.models import Festival
from public.selectors import (
    edition_with_palmares,
    festival_publications,
    palmares_sections,
    public_ids,
)

# A festival publishes one palmarès a year: enough to follow it.
FESTIVAL_FEED_ITEMS = 20


class PalmaresFeed(Feed):
    """An Atom feed of one edition's palmarès: one entry per prize awarded."""

    feed_type = Atom1Feed

    def get_object(self, request, festival, year):
        edition, publication = edition_with_palmares(festival, year)
        edition.palmares = palmares_sections(publication, public_ids(edition, publication))
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
        return reverse("public:palmares", args=[edition.festival.slug, edition.year])

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
        if award.get("sponsor"):
            parts.append(_("Prix offert par %(sponsor)s") % {"sponsor": award["sponsor"]})
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


class FestivalFeed(Feed):
    """An Atom feed of one festival: one entry per palmarès it publishes."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Festival, slug=slug)

    def title(self, festival):
        return _("Palmarès — %(festival)s") % {"festival": festival.name}

    def subtitle(self, festival):
        return _("Les palmarès publiés par %(festival)s.") % {"festival": festival.name}

    def link(self, festival):
        return reverse("public:festival", args=[festival.slug])

    def items(self, festival):
        return list(festival_publications(festival)[:FESTIVAL_FEED_ITEMS])

    def item_title(self, publication):
        return (publication.snapshot or {}).get("edition", {}).get(
            "title"
        ) or publication.edition.title

    def item_description(self, publication):
        return _("Le palmarès de %(festival)s, %(year)s.") % {
            "festival": publication.edition.festival.name,
            "year": publication.edition.year,
        }

    def item_link(self, publication):
        edition = publication.edition
        return reverse("public:palmares", args=[edition.festival.slug, edition.year])

    def item_guid(self, publication):
        return f"{self.item_link(publication)}#publication-{publication.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, publication):
        return publication.published_at

    def item_updateddate(self, publication):
        return publication.published_at
